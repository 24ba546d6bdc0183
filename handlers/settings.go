package handlers

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/apperr"
	"switchboard/clock"
	"switchboard/integrations/alerts"
	"switchboard/models"
	"switchboard/views/components"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/session"
)

// SettingsHandler serves /settings, where owners and admins set the
// organization's name, time zone, opening hours, overlaps and alerts.
type SettingsHandler struct {
	accounts *accounts.Service
	alerts   *alerts.Service
}

// NewSettingsHandler returns a SettingsHandler.
func NewSettingsHandler(accts *accounts.Service, al *alerts.Service) *SettingsHandler {
	return &SettingsHandler{accounts: accts, alerts: al}
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
	return h.render(c, http.StatusOK, o, "")
}

// render shows the saved settings, with secret (a signing secret just
// made) shown this once.
func (h *SettingsHandler) render(c echo.Context, status int, o *models.Organization, secret string) error {
	tz := o.TimeZone
	if !o.TimeZoneSet() {
		tz = ""
	}
	page := settingsPage(o, o.Name, tz, hoursForm(o.Hours().Normalize()), o.AllowOverlaps, nil)
	page.AlertWebhookURL, page.AlertSecret = o.AlertWebhookURL, secret
	if err := h.alertRows(c, &page); err != nil {
		return err
	}
	return web.Render(c, status, pages.Settings(page))
}

// alertRows fills the page's recent alert deliveries.
func (h *SettingsHandler) alertRows(c echo.Context, page *pages.SettingsPage) error {
	ds, err := h.alerts.Deliveries(c.Request().Context(), session.OrgID(c), 10)
	if err != nil {
		return err
	}
	zone := session.Zone(c)
	for _, d := range ds {
		page.Alerts = append(page.Alerts, pages.SettingsAlert{Event: d.Event, When: zone.FormatPage(d.CreatedAt),
			Status: alertStatusWords(d), Error: d.LastError})
	}
	return nil
}

// alertStatusWords says how a delivery went, for people.
func alertStatusWords(d models.AlertDelivery) string {
	switch d.Status {
	case models.AlertDelivered:
		return "delivered"
	case models.AlertFailed:
		return fmt.Sprintf("failed after %d attempts", d.Attempts)
	}
	if d.Attempts == 0 {
		return "sending"
	}
	return fmt.Sprintf("retrying (%d attempts so far)", d.Attempts)
}

// TestAlert handles POST /settings/test-alert ("Send test alert").
func (h *SettingsHandler) TestAlert(c echo.Context) error {
	d, err := h.alerts.SendTest(c.Request().Context(), session.OrgID(c))
	if e, ok := apperr.As(err); ok && e.Code == apperr.CodeValidationFailed {
		session.Flash(c, "error", "Enter an alert webhook address and save before sending a test alert.")
		return web.Redirect(c, web.URLs(c).Settings())
	}
	if err != nil {
		return err
	}
	record(c, h.accounts.Audit(), accounts.ActionAlertTestSent, accounts.TargetOf("alert_delivery", d.ID), nil)
	session.Flash(c, "success", "Test alert queued: it appears below as delivered once the webhook accepts it.")
	return web.Redirect(c, web.URLs(c).Settings())
}

// RotateAlertSecret handles POST /settings/alert-secret: the page shows
// the new secret once.
func (h *SettingsHandler) RotateAlertSecret(c echo.Context) error {
	ctx := c.Request().Context()
	sec, err := h.alerts.RotateSecret(ctx, session.OrgID(c))
	if err != nil {
		return err
	}
	record(c, h.accounts.Audit(), accounts.ActionAlertSecretRotated, accounts.TargetOf("organization", session.OrgID(c)), nil)
	o, err := h.accounts.Organization(ctx, session.OrgID(c))
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, o, sec)
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
		OpeningHours: hours, AllowOverlaps: c.FormValue("allow_overlaps") == "true", AlertWebhookURL: strings.TrimSpace(c.FormValue("alert_webhook_url"))}
	saved, err := h.accounts.UpdateOrganization(c.Request().Context(), session.Actor(c), in, nil)
	if e, ok := apperr.As(err); ok && e.Code == apperr.CodeValidationFailed {
		errs := web.FieldMap(settingsFormFields(e.Fields, slotOf))
		page := settingsPage(o, in.Name, in.TimeZone, raw, in.AllowOverlaps, errs)
		page.AlertWebhookURL = in.AlertWebhookURL
		if err := h.alertRows(c, &page); err != nil {
			return err
		}
		return web.Render(c, http.StatusUnprocessableEntity, pages.Settings(page))
	}
	if err != nil {
		return err
	}
	sec, err := ensureAlertSecret(c, h.alerts, h.accounts.Audit(), saved.AlertWebhookURL)
	if err != nil {
		return err
	}
	if sec != "" {
		return h.render(c, http.StatusOK, saved, sec)
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
