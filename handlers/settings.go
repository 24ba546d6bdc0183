package handlers

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/apperr"
	"switchboard/clock"
	"switchboard/models"
	"switchboard/views/components"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/session"
)

// SettingsHandler serves /settings, where owners and admins set the
// organization's name, time zone, opening hours and overlaps.
type SettingsHandler struct {
	accounts *accounts.Service
}

// NewSettingsHandler returns a SettingsHandler.
func NewSettingsHandler(accts *accounts.Service) *SettingsHandler {
	return &SettingsHandler{accounts: accts}
}

// settingsSlots is how many interval inputs a day shows at least.
const settingsSlots = 3

var dayLabels = map[string]string{"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday",
	"fri": "Friday", "sat": "Saturday", "sun": "Sunday"}

// hoursForm holds the opening hours inputs as sent: per day, by input slot
// (empty slots included).
type hoursForm map[string][]clock.Interval

// Index handles GET /settings. Until the time zone is chosen the picker
// shows no choice, so that saving the page is choosing one.
func (h *SettingsHandler) Index(c echo.Context) error {
	o, err := h.accounts.Organization(c.Request().Context(), session.OrgID(c))
	if err != nil {
		return err
	}
	tz := o.TimeZone
	if !o.TimeZoneSet() {
		tz = ""
	}
	page := settingsPage(o, o.Name, tz, hoursForm(o.Hours().Normalize()), o.AllowOverlaps, nil)
	return web.Render(c, http.StatusOK, pages.Settings(page))
}

// Save handles POST /settings: 422 with the form and per-field messages,
// or a flash and a redirect back.
func (h *SettingsHandler) Save(c echo.Context) error {
	o, err := h.accounts.Organization(c.Request().Context(), session.OrgID(c))
	if err != nil {
		return err
	}
	raw := readHoursForm(c)
	hours, slotOf := raw.hours()
	in := models.OrganizationSettings{Name: c.FormValue("name"), TimeZone: c.FormValue("time_zone"), TimeZoneChosen: true,
		OpeningHours: hours, AllowOverlaps: c.FormValue("allow_overlaps") == "true"}
	_, err = h.accounts.UpdateOrganization(c.Request().Context(), session.Actor(c), in, nil)
	if e, ok := apperr.As(err); ok && e.Code == apperr.CodeValidationFailed {
		errs := web.FieldMap(settingsFormFields(e.Fields, slotOf))
		page := settingsPage(o, in.Name, in.TimeZone, raw, in.AllowOverlaps, errs)
		return web.Render(c, http.StatusUnprocessableEntity, pages.Settings(page))
	}
	if err != nil {
		return err
	}
	session.Flash(c, "success", "Settings saved. Times are now shown in "+in.TimeZone+".")
	return web.Redirect(c, web.URLs(c).Settings())
}

// readHoursForm reads opening_hours.<day>[i].start and .end.
func readHoursForm(c echo.Context) hoursForm {
	f := hoursForm{}
	for _, day := range clock.Days {
		for i := 0; i < clock.MaxIntervalsPerDay; i++ {
			name := fmt.Sprintf("opening_hours.%s[%d]", day, i)
			f[day] = append(f[day], clock.Interval{Start: c.FormValue(name + ".start"), End: c.FormValue(name + ".end")})
		}
	}
	return f
}

// hours returns the filled slots as Hours, and for each day which input
// slot each interval came from (so errors name the input).
func (f hoursForm) hours() (clock.Hours, map[string][]int) {
	h, slotOf := clock.Hours{}, map[string][]int{}
	for day, ivs := range f {
		for i, iv := range ivs {
			if iv.Start == "" && iv.End == "" {
				continue
			}
			h[day] = append(h[day], iv)
			slotOf[day] = append(slotOf[day], i)
		}
	}
	return h, slotOf
}

var hourField = regexp.MustCompile(`^opening_hours\.([a-z]+)\[(\d+)\](.*)$`)

// settingsFormFields renames interval fields from positions among the filled
// slots to the inputs' own names.
func settingsFormFields(fs []apperr.FieldError, slotOf map[string][]int) []apperr.FieldError {
	out := make([]apperr.FieldError, len(fs))
	for i, f := range fs {
		out[i] = f
		m := hourField.FindStringSubmatch(f.Field)
		if m == nil {
			continue
		}
		if k, _ := strconv.Atoi(m[2]); k < len(slotOf[m[1]]) {
			out[i].Field = fmt.Sprintf("opening_hours.%s[%d]%s", m[1], slotOf[m[1]][k], m[3])
		}
	}
	return out
}

func settingsPage(o *models.Organization, name, tz string, raw hoursForm, overlaps bool, errs map[string]string) pages.SettingsPage {
	p := pages.SettingsPage{Name: name, Slug: o.Slug, TimeZone: tz, Zones: components.ZoneOptions(tz, time.Now()), AllowOverlaps: overlaps, Errors: errs}
	for _, day := range clock.Days {
		d := pages.SettingsDay{Key: day, Label: dayLabels[day]}
		ivs := raw[day]
		for len(ivs) > 0 && ivs[len(ivs)-1] == (clock.Interval{}) {
			ivs = ivs[:len(ivs)-1]
		}
		for i := 0; i < max(settingsSlots, len(ivs)); i++ {
			var iv clock.Interval
			if i < len(ivs) {
				iv = ivs[i]
			}
			name := fmt.Sprintf("opening_hours.%s[%d]", day, i)
			d.Slots = append(d.Slots, pages.SettingsSlot{StartName: name + ".start", EndName: name + ".end", Start: iv.Start, End: iv.End})
		}
		p.Days = append(p.Days, d)
	}
	return p
}
