package handlers

import (
	"strings"

	"github.com/labstack/echo/v4"
)

// bookingPrefill is the booking form's first values, from the query (the
// availability page's slot links): start (practice time, as the
// datetime-local input takes it), duration_minutes (30 when not given),
// provider_ref, operatory_ref and patient_id.
func bookingPrefill(c echo.Context) map[string]string {
	v := map[string]string{"duration_minutes": "30"}
	for _, name := range []string{"start", "duration_minutes", "provider_ref", "operatory_ref", "patient_id"} {
		if s := strings.TrimSpace(c.QueryParam(name)); s != "" {
			v[name] = s
		}
	}
	return v
}
