package handlers

import "strings"

// AppointmentsPageQuery is the query of GET /appointments: the list's
// filters (from and to are practice-local days, to included; a bad one
// filters nothing), its page, and the booking form's first values, which
// the availability page's slot links give.
type AppointmentsPageQuery struct {
	From   string `query:"from"`
	To     string `query:"to"`
	Cursor string `query:"cursor"`
	// When is "" (upcoming, earliest first) or "past" (latest first).
	When string `query:"when"`
	// Start is practice time, as the datetime-local input takes it.
	Start           string `query:"start"`
	DurationMinutes string `query:"duration_minutes"`
	ProviderRef     string `query:"provider_ref"`
	OperatoryRef    string `query:"operatory_ref"`
	PatientID       string `query:"patient_id"`
}

// prefill is the booking form's first values: those of the query, and a
// duration of 30 minutes when it gives none.
func (q AppointmentsPageQuery) prefill() map[string]string {
	v := map[string]string{"duration_minutes": "30"}
	for name, s := range map[string]string{"start": q.Start, "duration_minutes": q.DurationMinutes, "provider_ref": q.ProviderRef,
		"operatory_ref": q.OperatoryRef, "patient_id": q.PatientID} {
		if s = strings.TrimSpace(s); s != "" {
			v[name] = s
		}
	}
	return v
}
