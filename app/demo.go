package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/apperr"
	"switchboard/auth"
	"switchboard/clock"
	"switchboard/integrations/catalog"
	"switchboard/integrations/definition"
	"switchboard/integrations/executor"
	"switchboard/integrations/registry"
	"switchboard/integrations/sandbox"
	"switchboard/integrations/traces"
	"switchboard/models"
	"switchboard/web/session"
)

// Demo account and organization seeded by `serve --demo`.
const (
	DemoOrg   = "demo"
	DemoEmail = "demo@switchboard.local"
)

// DemoLogin is what `serve --demo` prints.
type DemoLogin struct {
	Email, Password string
}

// startSandbox serves the demo's sandbox practice-management systems on a
// loopback listener of their own, and lets outbound calls reach exactly
// that address and port: never the app's own port, so no integration can
// point at the app (its loopback-only /metrics, say). Each organization
// has its own tenant (data, faults, credentials).
func (a *App) startSandbox() error {
	a.Sandbox = sandbox.NewTenants(sandbox.DefaultConfig())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("app: sandbox listener: %w", err)
	}
	a.sandboxSrv = &http.Server{Handler: a.Sandbox, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = a.sandboxSrv.Serve(ln) }()
	a.SandboxURL = "http://" + ln.Addr().String()
	a.Policy.AllowAddrPort(netip.MustParseAddrPort(ln.Addr().String()))
	return nil
}

// SandboxOf is the sandbox of an organization (demo only).
func (a *App) SandboxOf(orgID int64) *sandbox.Sandbox {
	return a.Sandbox.For(sandbox.OrgTenant(orgID))
}

// mountSandboxControls serves the sandbox's control endpoints (faults,
// statistics, reset) under /sandbox/_sandbox for a signed-in owner or
// admin, on their own organization's tenant; a reset is a POST, so it also
// passes the CSRF check.
func mountSandboxControls(e *echo.Echo, tenants *sandbox.Tenants, signedIn []echo.MiddlewareFunc) {
	h := func(c echo.Context) error {
		r := c.Request()
		u := *r.URL
		u.Path, u.RawPath = strings.TrimPrefix(u.Path, "/sandbox"), ""
		r2 := r.Clone(r.Context())
		r2.URL = &u
		tenants.ServeControl(sandbox.OrgTenant(session.OrgID(c)), c.Response(), r2)
		return nil
	}
	e.Any("/sandbox"+sandbox.ControlPrefix, h, signedIn...)
	e.Any("/sandbox"+sandbox.ControlPrefix+"/*", h, signedIn...)
}

// sandboxControls are the sandbox's switches the sync error log offers,
// one organization's tenant at a time.
type sandboxControls struct {
	sb   *sandbox.Tenants
	exec *executor.Executor
}

// Outage reports whether the organization's sandbox tenant is down.
func (s sandboxControls) Outage(orgID int64) bool {
	return s.sb.For(sandbox.OrgTenant(orgID)).Faults().Outage
}

// SetOutage takes the organization's sandbox tenant down or up, leaving
// its other fault switches as they are. Back up, the circuits the outage
// opened are closed, so that a retry pressed next goes through instead of
// waiting out the cooldown: the switch knows the sandbox answers again.
func (s sandboxControls) SetOutage(orgID int64, down bool) {
	sb := s.sb.For(sandbox.OrgTenant(orgID))
	f := sb.Faults()
	f.Outage = down
	sb.SetFaults(f)
	if !down {
		for _, slug := range demoSandboxed {
			s.exec.CloseCircuits(orgID, slug)
		}
	}
}

// SeedDemo prepares the demo: the demo organization and its owner (with a
// new password on every start, printed once), Open Dental and Cloud9 from
// the catalog pointed at the organization's tenant of the built-in sandbox
// (startSandbox), with credentials filled in, dual-write to Open Dental on
// and a few patients booked through it.
func (a *App) SeedDemo(ctx context.Context) (*DemoLogin, error) {
	if a.Sandbox == nil {
		return nil, errors.New("app: the demo needs --demo (no sandbox is served)")
	}
	password := auth.RandomPassword()
	joined, err := a.Accounts.EnsureMember(ctx, DemoOrg, "Demo Dental",
		accounts.Member{Email: DemoEmail, Name: "Demo Owner", Password: password, Role: models.RoleOwner, KeepRole: true})
	if err != nil {
		return nil, err
	}
	org, err := a.demoClock(ctx, joined.Org)
	if err != nil {
		return nil, err
	}
	if err := a.SeedSandboxIntegrations(ctx, org.ID); err != nil {
		return nil, err
	}
	if err := a.seedDemoSync(ctx, org.ID); err != nil {
		return nil, err
	}
	// The agent's traces are on the page from the start; the scheduled
	// pull keeps them up to date.
	if _, err := a.Traces.Import(ctx, org.ID, traces.ImportRequest{}); err != nil {
		a.Logger.WarnContext(ctx, "demo: agent traces import", "err", err)
	}
	return &DemoLogin{Email: DemoEmail, Password: password}, nil
}

// demoSandboxed are the integrations the demo points at its sandbox.
var demoSandboxed = []string{"opendental", "cloud9", "langfuse", "nodered"}

// SeedSandboxIntegrations adds Open Dental, Cloud9, Langfuse and Node-RED
// from the catalog to an organization, pointed at that organization's
// tenant of the sandbox (its own data, fault switches and credentials),
// with those credentials.
func (a *App) SeedSandboxIntegrations(ctx context.Context, orgID int64) error {
	tenant := sandbox.OrgTenant(orgID)
	return a.SeedSandboxIntegrationsAt(ctx, orgID, a.SandboxURL+sandbox.TenantPrefix(tenant), a.Sandbox.ConfigFor(tenant))
}

// SeedSandboxIntegrationsAt is SeedSandboxIntegrations for a sandbox
// served elsewhere (tests): root is the URL its upstreams' paths follow,
// sb the configuration whose credentials it accepts.
func (a *App) SeedSandboxIntegrationsAt(ctx context.Context, orgID int64, root string, sb sandbox.Config) error {
	seeds := []struct {
		slug, base string
		fields     map[string]string
	}{
		{"opendental", root + sandbox.OpenDentalPrefix, map[string]string{
			"developer_key": sb.OpenDentalDeveloperKey, "customer_key": sb.OpenDentalCustomerKey}},
		{"cloud9", root + sandbox.Cloud9Path, map[string]string{
			"client_id": sb.Cloud9ClientID, "username": sb.Cloud9UserName, "password": sb.Cloud9Password}},
		{"langfuse", root + sandbox.LangfusePrefix, map[string]string{
			"public_key": sb.LangfusePublicKey, "secret_key": sb.LangfuseSecretKey}},
		// Node-RED's two runtimes: base is production's, the sandbox's
		// ends in /sandbox instead (seedIntegration).
		{"nodered", root + sandbox.NodeRedPrefix + "/production", map[string]string{"token": sb.NodeRedToken}},
	}
	for _, s := range seeds {
		if err := a.seedIntegration(ctx, orgID, s.slug, s.base, s.fields); err != nil {
			return fmt.Errorf("app: demo %s: %w", s.slug, err)
		}
	}
	return nil
}

// seedIntegration adds a catalog integration pointed at the sandbox (or
// re-points an existing one, since the port may change between starts) and
// saves its credentials for both environments.
func (a *App) seedIntegration(ctx context.Context, orgID int64, slug, base string, fields map[string]string) error {
	entry, err := catalog.Get(slug)
	if err != nil {
		return err
	}
	doc := entry.Doc
	doc.BaseURL = sandboxBases(slug, base)
	// The sandbox answers around the clock: the real production window
	// (Cloud9: 00:00–11:00 UTC) would only get in a newcomer's way.
	doc.AccessWindows = nil
	// Calls that name no environment, deliveries and reference lists go
	// to the sandbox.
	doc.DefaultEnvironment = definition.EnvSandbox
	doc.Description = "Demo: points at the built-in sandbox. " + doc.Description
	t := a.Store.Tenant(orgID)
	in, err := t.IntegrationBySlug(ctx, slug)
	switch {
	case apperr.IsNotFound(err):
		if in, err = a.Registry.Create(ctx, orgID, doc, slug); err != nil {
			return err
		}
	case err != nil:
		return err
	default:
		current, _, err := a.Registry.Load(ctx, orgID, in.ID)
		if err != nil {
			return err
		}
		current.BaseURL = doc.BaseURL
		current.AccessWindows = nil
		current.DefaultEnvironment = definition.EnvSandbox
		// The sandbox's port changes between starts; its credentials are
		// entered again just below.
		moved := registry.WithHostChange(ctx, &registry.HostChange{Confirmed: true})
		if _, err := a.Registry.Replace(moved, orgID, in.ID, current, registry.Hints{}); err != nil {
			return err
		}
	}
	for _, env := range []string{definition.EnvProduction, definition.EnvSandbox} {
		sealed, names, err := a.Vault.Seal(orgID, in.ID, env, fields)
		if err != nil {
			return err
		}
		cred, err := t.CredentialFor(ctx, in.ID, env)
		if apperr.IsNotFound(err) {
			cred, err = &models.Credential{IntegrationID: in.ID, Environment: env}, nil
		}
		if err != nil {
			return err
		}
		cred.Sealed, cred.FieldNames = sealed, names
		if err := t.SaveCredential(ctx, cred); err != nil {
			return err
		}
	}
	a.Credentials.Invalidate(orgID, in.ID)
	return nil
}

// sandboxBases are the base URLs of a demo integration: the same sandbox
// for both environments, except Node-RED's, whose two runtimes differ.
func sandboxBases(slug, base string) map[string]string {
	sb := base
	if slug == "nodered" {
		sb = strings.TrimSuffix(base, "/production") + "/sandbox"
	}
	return map[string]string{definition.EnvProduction: base, definition.EnvSandbox: sb}
}

// DemoTimeZone is the demo practice's time zone.
const DemoTimeZone = "America/Chicago"

// DemoHours are the demo practice's opening hours: weekdays 08:00–12:00 and
// 13:00–17:00.
func DemoHours() clock.Hours {
	day := []clock.Interval{{Start: "08:00", End: "12:00"}, {Start: "13:00", End: "17:00"}}
	return clock.Hours{"mon": day, "tue": day, "wed": day, "thu": day, "fri": day}
}

// demoClock gives the demo organization Chicago's clock and opening hours
// unless someone already chose a time zone for it (a demo user's own
// settings survive restarts).
func (a *App) demoClock(ctx context.Context, org *models.Organization) (*models.Organization, error) {
	if org.TimeZoneSet() {
		return org, nil
	}
	_, org, err := a.Store.Tenant(org.ID).UpdateOrganization(ctx, models.OrganizationSettings{Name: org.Name,
		TimeZone: DemoTimeZone, TimeZoneChosen: true, OpeningHours: DemoHours()})
	if err != nil {
		return nil, fmt.Errorf("app: demo clock: %w", err)
	}
	return org, nil
}
