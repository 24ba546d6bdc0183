package handlers

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/integrations/sandbox"
	"switchboard/models"
	"switchboard/views/components"
	"switchboard/views/pages"
)

// SyncPages serves the sync settings page and the sync error log.
type SyncPages struct {
	settings *SyncSettingsAPI
	errors   *SyncErrorsAPI
	sandbox  *sandbox.Sandbox
}

// NewSyncPages returns SyncPages; sb is the demo sandbox (nil otherwise).
func NewSyncPages(settings *SyncSettingsAPI, errs *SyncErrorsAPI, sb *sandbox.Sandbox) *SyncPages {
	return &SyncPages{settings: settings, errors: errs, sandbox: sb}
}

func (h *SyncPages) card(c echo.Context, in *models.Integration, cfg *models.SyncConfig, secret string, errs map[string]string) pages.SyncCard {
	configured := cfg != nil
	if cfg == nil {
		cfg = defaultSyncConfig(in.ID)
	}
	ents := cfg.EntityList()
	has := func(e string) bool {
		for _, x := range ents {
			if x == e {
				return true
			}
		}
		return false
	}
	card := pages.SyncCard{IntegrationID: in.ID, Integration: in.Slug, Name: in.Name, Configured: configured, Enabled: configured && cfg.Enabled,
		Direction: cfg.Direction, Environment: cfg.Environment, OnCreate: cfg.SyncOnCreate, OnUpdate: cfg.SyncOnUpdate,
		OnDelete: cfg.SyncOnDelete, Appointments: has("appointment"), Patients: has("patient"), Conflict: cfg.ConflictResolution,
		WebhookURL: c.Scheme() + "://" + c.Request().Host + "/webhooks/" + currentPrincipal(c).Org.Slug + "/" + in.Slug,
		NewSecret:  secret, LastSync: fmtTime(cfg.LastSyncAt), LastStatus: cfg.LastSyncStatus, LastError: cfg.LastError, Errors: errs}
	return card
}

// Index handles GET /sync-settings.
func (h *SyncPages) Index(c echo.Context) error {
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	t := h.settings.store.Tenant(p.Org.ID)
	ins, err := t.Integrations(ctx)
	if err != nil {
		return err
	}
	var page pages.SyncSettingsPage
	for i := range ins {
		doc, _, err := h.settings.registry.Load(ctx, p.Org.ID, ins[i].ID)
		if err != nil {
			return err
		}
		if len(doc.Sync) == 0 {
			continue // nothing to sync with (AI, messaging)
		}
		cfg, err := t.SyncConfigFor(ctx, ins[i].ID)
		if apperr.IsNotFound(err) {
			cfg, err = nil, nil
		}
		if err != nil {
			return err
		}
		page.Cards = append(page.Cards, h.card(c, &ins[i], cfg, "", nil))
	}
	return render(c, http.StatusOK, pages.SyncSettings(page))
}

// save creates or updates the configuration of the :integrationId route.
func (h *SyncPages) save(c echo.Context, mutate func(*models.SyncConfig, *syncSettingsIn)) (*models.Integration, *models.SyncConfig, string, error) {
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	id, err := pathID(c, "integrationId")
	if err != nil {
		return nil, nil, "", err
	}
	t := h.settings.store.Tenant(p.Org.ID)
	in, err := t.Integration(ctx, id)
	if err != nil {
		return nil, nil, "", err
	}
	cfg, err := t.SyncConfigFor(ctx, id)
	secret := ""
	if apperr.IsNotFound(err) {
		cfg = defaultSyncConfig(id)
		if secret, err = h.settings.sealSecret(p.Org.ID, cfg); err != nil {
			return nil, nil, "", err
		}
	} else if err != nil {
		return nil, nil, "", err
	}
	var body syncSettingsIn
	mutate(cfg, &body)
	if err := h.settings.applySettings(ctx, p.Org.ID, cfg, body); err != nil {
		return in, cfg, "", err
	}
	if err := t.SaveSyncConfig(ctx, cfg); err != nil {
		return in, cfg, "", err
	}
	auditChange(c, h.settings.store, h.settings.logger, "sync_settings_updated", "sync_config", cfg.ID,
		map[string]any{"integration": in.Slug, "direction": cfg.Direction, "enabled": cfg.Enabled})
	return in, cfg, secret, nil
}

// Toggle handles POST /sync-settings/:integrationId/toggle (htmx): turns
// sync on or off and answers the card.
func (h *SyncPages) Toggle(c echo.Context) error {
	on := c.FormValue("enabled") == "true"
	in, cfg, secret, err := h.save(c, func(_ *models.SyncConfig, b *syncSettingsIn) { b.Enabled = &on })
	if err != nil {
		if ps := problemsOf(err); ps != nil && in != nil {
			cfg.Enabled = false
			return render(c, http.StatusUnprocessableEntity, pages.SyncCardView(h.card(c, in, cfg, "", errorMap(ps))))
		}
		return err
	}
	return render(c, http.StatusOK, pages.SyncCardView(h.card(c, in, cfg, secret, nil)))
}

// Save handles POST /sync-settings/:integrationId (the full form).
func (h *SyncPages) Save(c echo.Context) error {
	form := func(name string) bool { return c.FormValue(name) == "true" }
	in, cfg, secret, err := h.save(c, func(_ *models.SyncConfig, b *syncSettingsIn) {
		enabled, create, update, del := form("enabled"), form("sync_on_create"), form("sync_on_update"), form("sync_on_delete")
		dir, conflict, env := c.FormValue("direction"), c.FormValue("conflict_resolution"), c.FormValue("environment")
		b.Enabled, b.SyncOnCreate, b.SyncOnUpdate, b.SyncOnDelete = &enabled, &create, &update, &del
		b.Direction, b.ConflictResolution, b.Environment = &dir, &conflict, &env
		b.Entities = []string{}
		if form("entity_appointment") {
			b.Entities = append(b.Entities, "appointment")
		}
		if form("entity_patient") {
			b.Entities = append(b.Entities, "patient")
		}
	})
	if err != nil {
		if ps := problemsOf(err); ps != nil && in != nil {
			errs := errorMap(ps)
			for k, v := range errs {
				if strings.HasPrefix(k, "entities") {
					errs["entities"] = v
				}
			}
			return render(c, http.StatusUnprocessableEntity, pages.SyncSettings(pages.SyncSettingsPage{Cards: []pages.SyncCard{h.card(c, in, cfg, "", errs)}}))
		}
		return err
	}
	if secret != "" {
		return render(c, http.StatusOK, pages.SyncSettings(pages.SyncSettingsPage{Cards: []pages.SyncCard{h.card(c, in, cfg, secret, nil)}}))
	}
	addFlash(c, "success", in.Name+" sync settings were saved. They apply to the next write.")
	return redirect(c, "/sync-settings")
}

// RegenerateSecret handles POST /sync-settings/:integrationId/webhook-secret.
func (h *SyncPages) RegenerateSecret(c echo.Context) error {
	p := currentPrincipal(c)
	in, cfg, _, err := h.save(c, func(*models.SyncConfig, *syncSettingsIn) {})
	if err != nil {
		return err
	}
	secret, err := h.settings.sealSecret(p.Org.ID, cfg)
	if err != nil {
		return err
	}
	if err := h.settings.store.Tenant(p.Org.ID).SaveSyncConfig(c.Request().Context(), cfg); err != nil {
		return err
	}
	auditChange(c, h.settings.store, h.settings.logger, "webhook_secret_regenerated", "sync_config", cfg.ID, map[string]any{"integration": in.Slug})
	return render(c, http.StatusOK, pages.SyncSettings(pages.SyncSettingsPage{Cards: []pages.SyncCard{h.card(c, in, cfg, secret, nil)}}))
}

// Errors handles GET /sync-errors.
func (h *SyncPages) Errors(c echo.Context) error {
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	f, err := h.errors.jobFilter(c)
	if err != nil {
		return err
	}
	ins, err := h.settings.store.Tenant(p.Org.ID).Integrations(ctx)
	if err != nil {
		return err
	}
	slugs := map[int64]string{}
	page := pages.SyncErrorsPage{Status: c.QueryParam("status"), Integration: c.QueryParam("integration"), Demo: h.sandbox != nil,
		Integrations: []components.SelectOption{{Value: "", Label: "All"}}}
	for _, in := range ins {
		slugs[in.ID] = in.Slug
		page.Integrations = append(page.Integrations, components.SelectOption{Value: in.Slug, Label: in.Name})
	}
	if h.sandbox != nil {
		page.Outage = h.sandbox.TenantFaults(sandbox.OrgTenant(p.Org.ID)).Outage
	}
	jobs, err := h.errors.sync.Jobs(ctx, p.Org.ID, f)
	if err != nil {
		return err
	}
	for _, j := range jobs {
		page.Rows = append(page.Rows, jobRow(&j, slugs[j.IntegrationID]))
	}
	if len(jobs) == f.Limit {
		q := c.QueryParams()
		q.Set("cursor", strconv.FormatInt(jobs[len(jobs)-1].ID, 10))
		page.NextURL = "/sync-errors?" + q.Encode()
	}
	return render(c, http.StatusOK, pages.SyncErrors(page))
}

func jobRow(j *models.SyncJob, slug string) pages.SyncJobRow {
	return pages.SyncJobRow{ID: j.ID, Integration: slug, Entity: j.Entity, LocalID: j.LocalID, Operation: j.Operation,
		Status: j.Status, Attempts: j.Attempts, LastError: j.LastError, Updated: j.UpdatedAt.UTC().Format("2006-01-02 15:04:05")}
}

// ErrorShow handles GET /sync-errors/:id.
func (h *SyncPages) ErrorShow(c echo.Context) error {
	p := currentPrincipal(c)
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	job, attempts, err := h.errors.sync.Job(ctx, p.Org.ID, id)
	if err != nil {
		return err
	}
	in, err := h.settings.store.Tenant(p.Org.ID).Integration(ctx, job.IntegrationID)
	if err != nil {
		return err
	}
	page := pages.SyncJobPage{Job: jobRow(job, in.Slug), Conflict: job.Status == "conflict"}
	if page.Conflict {
		var detail map[string]any
		if json.Unmarshal([]byte(job.ConflictDetail), &detail) == nil {
			l, _ := json.MarshalIndent(detail["local"], "", "  ")
			e, _ := json.MarshalIndent(detail["external"], "", "  ")
			page.Local, page.External = string(l), string(e)
		} else {
			page.Local = job.ConflictDetail
		}
	}
	for _, a := range attempts {
		page.Attempts = append(page.Attempts, pages.AttemptRow{Attempt: a.Attempt, OK: a.OK, When: a.CreatedAt.UTC().Format("2006-01-02 15:04:05"),
			HTTPStatus: a.HTTPStatus, DurationMS: a.DurationMS, Error: a.Error, Request: a.RequestExcerpt, Response: a.ResponseExcerpt})
	}
	return render(c, http.StatusOK, pages.SyncJob(page))
}

// ErrorAction handles POST /sync-errors/:id/retry, /dismiss and /resolve.
func (h *SyncPages) ErrorAction(action string) echo.HandlerFunc {
	return func(c echo.Context) error {
		p := currentPrincipal(c)
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		ctx := c.Request().Context()
		switch action {
		case "retry":
			err = h.errors.sync.Retry(ctx, p.Org.ID, id)
		case "dismiss":
			err = h.errors.sync.Dismiss(ctx, p.Org.ID, id)
		case "resolve":
			err = h.errors.sync.Resolve(ctx, p.Org.ID, id, c.FormValue("keep"))
		}
		if e, ok := apperr.As(err); ok && (e.Code == apperr.CodeConflict || e.Code == apperr.CodeValidationFailed) {
			addFlash(c, "error", e.Message)
			return redirect(c, fmt.Sprintf("/sync-errors/%d", id))
		}
		if err != nil {
			return err
		}
		auditChange(c, h.settings.store, h.settings.logger, "sync_job_"+action, "sync_job", id, nil)
		addFlash(c, "success", fmt.Sprintf("Job #%d: %s done.", id, action))
		back := c.Request().Referer()
		if u, err := url.Parse(back); err != nil || u.Host != c.Request().Host || !strings.HasPrefix(u.Path, "/sync-errors") {
			back = "/sync-errors"
		}
		return redirect(c, back)
	}
}

// BulkRetry handles POST /sync-errors/retry: retries every open job the
// filters select.
func (h *SyncPages) BulkRetry(c echo.Context) error {
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	q := url.Values{}
	for _, k := range []string{"status", "integration"} {
		if v := c.FormValue(k); v != "" {
			q.Set(k, v)
		}
	}
	c.Request().URL.RawQuery = q.Encode()
	f, err := h.errors.jobFilter(c)
	if err != nil {
		return err
	}
	if len(f.Status) == 0 {
		f.Status = []string{"failed", "retrying"}
	}
	f.Limit = 200
	jobs, err := h.errors.sync.Jobs(ctx, p.Org.ID, f)
	if err != nil {
		return err
	}
	n := 0
	for _, j := range jobs {
		if j.Status == "conflict" {
			continue
		}
		if err := h.errors.sync.Retry(ctx, p.Org.ID, j.ID); err == nil {
			n++
		}
	}
	auditChange(c, h.settings.store, h.settings.logger, "sync_jobs_retried", "sync_job", 0, map[string]any{"count": n})
	addFlash(c, "success", fmt.Sprintf("%d jobs will be retried now.", n))
	return redirect(c, "/sync-errors?"+q.Encode())
}

// SandboxOutage handles POST /sync-errors/sandbox-outage (demo only). It
// flips the outage of the caller's organization's sandbox tenant only.
func (h *SyncPages) SandboxOutage(c echo.Context) error {
	if h.sandbox == nil {
		return echo.ErrNotFound
	}
	tenant := sandbox.OrgTenant(currentPrincipal(c).Org.ID)
	f := h.sandbox.TenantFaults(tenant)
	f.Outage = c.FormValue("outage") == "true"
	h.sandbox.SetTenantFaults(tenant, f)
	msg := "The sandbox answers normally again. Retry the failed jobs."
	if f.Outage {
		msg = "The sandbox is down: new writes will fail to sync and show up here."
	}
	addFlash(c, "info", msg)
	return redirect(c, "/sync-errors")
}
