package handlers

import (
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/apperr"
	"switchboard/integrations/syncsettings"
	"switchboard/models"
	"switchboard/views/components"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/session"
)

// card is the view of one integration's sync settings; cfg nil means none
// saved yet (the defaults are shown).
func (h *SyncSettingsHandler) card(c echo.Context, in *models.Integration, cfg *models.SyncConfig, secret string, errs map[string]string) pages.SyncCard {
	configured := cfg != nil
	if cfg == nil {
		cfg = syncsettings.Default(in.ID)
	}
	ents := cfg.EntityList()
	env := cfg.Environment
	if cfg.EnvironmentDefault {
		env = ""
	}
	return pages.SyncCard{IntegrationID: in.ID, Integration: in.Slug, Name: in.Name, Configured: configured, Enabled: configured && cfg.Enabled,
		Direction: cfg.Direction, Environment: env, DefaultEnvironment: in.DefaultEnvironment, OnCreate: cfg.SyncOnCreate, OnUpdate: cfg.SyncOnUpdate,
		OnDelete: cfg.SyncOnDelete, Appointments: slices.Contains(ents, "appointment"), Patients: slices.Contains(ents, "patient"),
		Conflict: cfg.ConflictResolution, WebhookURL: webhookURL(c, in.Slug), NewSecret: secret,
		LastSync: session.Zone(c).FormatPageOptional(cfg.LastSyncAt), LastStatus: cfg.LastSyncStatus, LastError: apperr.ExplainText(cfg.LastError), Errors: errs,
		Pickers: h.defaultPickers(c, in.Slug, cfg.DefaultsMap(), errs)}
}

// defaultPickers are the selects of the definition's default_pickers
// (Cloud9's provider and location), set to the configuration's defaults.
func (h *SyncSettingsHandler) defaultPickers(c echo.Context, slug string, current, errs map[string]string) []pages.SyncPicker {
	if h.pickers == nil {
		return nil
	}
	ps, err := h.pickers.DefaultPickers(c.Request().Context(), session.From(c).Org, slug)
	if err != nil {
		return nil
	}
	out := make([]pages.SyncPicker, 0, len(ps))
	for _, p := range ps {
		sp := pages.SyncPicker{Param: p.Param, Value: current[p.Param], Error: p.Error,
			Options: []components.SelectOption{{Value: "", Label: "(none)"}}}
		if e := errs[p.Param]; e != "" {
			sp.Error = e
		}
		for _, it := range p.Items {
			sp.Options = append(sp.Options, components.SelectOption{Value: it.ID, Label: it.Label})
		}
		out = append(out, sp)
	}
	return out
}

// Index handles GET /sync-settings.
func (h *SyncSettingsHandler) Index(c echo.Context) error {
	ss, err := h.settings.Syncables(c.Request().Context(), session.From(c).Org.ID)
	if err != nil {
		return err
	}
	var page pages.SyncSettingsPage
	for _, s := range ss {
		page.Cards = append(page.Cards, h.card(c, s.Integration, s.Config, "", nil))
	}
	return web.Render(c, http.StatusOK, pages.SyncSettings(page))
}

// save applies in to the configuration of the :integrationId route and
// audits it. On a validation failure the setting as submitted comes back
// with the error.
func (h *SyncSettingsHandler) save(c echo.Context, in syncsettings.Input) (*syncsettings.Setting, error) {
	id, err := web.PathID(c, "integrationId")
	if err != nil {
		return nil, err
	}
	st, err := h.settings.Save(c.Request().Context(), session.From(c).Org.ID, id, in)
	if err != nil {
		return st, err
	}
	h.audit(c, accounts.ActionSyncSettingsUpdated, st, settingDetail(st))
	return st, nil
}

// Toggle handles POST /sync-settings/:integrationId/toggle (htmx): turns
// sync on or off and answers the card.
func (h *SyncSettingsHandler) Toggle(c echo.Context) error {
	on := c.FormValue("enabled") == "true"
	st, err := h.save(c, syncsettings.Input{Enabled: &on})
	if err != nil {
		if ps := web.Problems(err); ps != nil && st != nil {
			st.Config.Enabled = false
			return web.Render(c, http.StatusUnprocessableEntity, pages.SyncCardView(h.card(c, st.Integration, st.Config, "", web.ProblemMap(ps))))
		}
		return err
	}
	return web.Render(c, http.StatusOK, pages.SyncCardView(h.card(c, st.Integration, st.Config, st.Secret, nil)))
}

// Save handles POST /sync-settings/:integrationId (the full form).
func (h *SyncSettingsHandler) Save(c echo.Context) error {
	st, err := h.save(c, syncFormInput(c))
	if err != nil {
		if ps := web.Problems(err); ps != nil && st != nil {
			errs := web.ProblemMap(ps)
			for k, v := range errs {
				if strings.HasPrefix(k, "entities") {
					errs["entities"] = v
				}
			}
			return h.renderCard(c, http.StatusUnprocessableEntity, st, "", errs)
		}
		return err
	}
	if st.Secret != "" {
		return h.renderCard(c, http.StatusOK, st, st.Secret, nil)
	}
	session.Flash(c, "success", st.Integration.Name+" sync settings were saved. They apply to the next write.")
	return web.Redirect(c, web.URLs(c).SyncSettings())
}

// syncFormInput reads the full sync settings form.
func syncFormInput(c echo.Context) syncsettings.Input {
	form := func(name string) bool { return c.FormValue(name) == "true" }
	enabled, create, update, del := form("enabled"), form("sync_on_create"), form("sync_on_update"), form("sync_on_delete")
	dir, conflict, env := c.FormValue("direction"), c.FormValue("conflict_resolution"), c.FormValue("environment")
	in := syncsettings.Input{Enabled: &enabled, SyncOnCreate: &create, SyncOnUpdate: &update, SyncOnDelete: &del,
		Direction: &dir, ConflictResolution: &conflict, Environment: &env, Entities: []string{}}
	if form("entity_appointment") {
		in.Entities = append(in.Entities, "appointment")
	}
	if form("entity_patient") {
		in.Entities = append(in.Entities, "patient")
	}
	if params, err := c.FormParams(); err == nil {
		for k, v := range params {
			if name, ok := strings.CutPrefix(k, "default_"); ok && len(v) > 0 {
				if in.Defaults == nil {
					in.Defaults = map[string]string{}
				}
				in.Defaults[name] = strings.TrimSpace(v[0])
			}
		}
	}
	return in
}

// RegenerateSecretPage handles POST /sync-settings/:integrationId/webhook-secret.
func (h *SyncSettingsHandler) RegenerateSecretPage(c echo.Context) error {
	st, err := h.save(c, syncsettings.Input{})
	if err != nil {
		return err
	}
	if st, err = h.settings.RegenerateSecret(c.Request().Context(), session.From(c).Org.ID, st.Config.ID); err != nil {
		return err
	}
	h.audit(c, accounts.ActionWebhookSecretRegenerated, st, map[string]any{"integration": st.Integration.Slug})
	return h.renderCard(c, http.StatusOK, st, st.Secret, nil)
}

// renderCard answers the sync settings page with st's card alone.
func (h *SyncSettingsHandler) renderCard(c echo.Context, status int, st *syncsettings.Setting, secret string, errs map[string]string) error {
	card := h.card(c, st.Integration, st.Config, secret, errs)
	return web.Render(c, status, pages.SyncSettings(pages.SyncSettingsPage{Cards: []pages.SyncCard{card}}))
}
