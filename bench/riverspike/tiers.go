package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	_ "net/http/pprof" // the tier processes' profiles, on a port of their own
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"switchboard/app"
	"switchboard/auth"
	"switchboard/config"
	"switchboard/integrations/catalog"
	"switchboard/integrations/definition"
	"switchboard/integrations/sandbox"
	"switchboard/logging"
	"switchboard/models"
)

// The tier processes of the agent and dual-write measurements: each runs
// alone at GOMAXPROCS=1 so that its CPU time (from /proc) is the tier's
// own, with net/http/pprof on a second loopback port. They print
// "<url> <api key> <pprof url>" once ready.

const (
	upstreamAuth = "ODFHIR k1/k2"
	benchPatNum  = 42
)

// patientBody is the upstream's 284-byte Open Dental-like patient (the
// bench's).
var patientBody = []byte(`{"PatNum":42,"LName":"Benchmark","FName":"Ada",` +
	`"PatStatus":"Patient","Gender":"Female","Birthdate":"1985-04-12","Address":"12 Loopback Lane",` +
	`"City":"Localhost","State":"OR","Zip":"97201","HmPhone":"(503)555-0100","Email":"ada@example.com",` +
	`"PriProv":1,"BillingType":"Standard Account"}`)

func patientHandler(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != upstreamAuth {
		http.Error(w, `{"error":"bad credentials"}`, http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(patientBody)))
	_, _ = w.Write(patientBody)
}

// listenBoth serves h and the pprof mux and prints the ready line.
func listenBoth(h http.Handler, key string) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	pl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go func() { _ = http.Serve(pl, http.DefaultServeMux) }()
	fmt.Printf("http://%s %s http://%s\n", ln.Addr(), key, pl.Addr())
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	return srv.Serve(ln)
}

// tierProxy is the bare httputil.ReverseProxy (the bench's target b).
func tierProxy(args []string) error {
	u, err := url.Parse(args[0])
	if err != nil {
		return err
	}
	p := httputil.NewSingleHostReverseProxy(u)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = 512, 128
	p.Transport = tr
	return listenBoth(p, "-")
}

// tierApp is the real app (app.New) on a fresh SQLite file, as the bench
// builds it: logs at info formatted as JSON then discarded. With
// "agent UPSTREAM" it is seeded with the bench integration; with
// "dualwrite" with Open Dental on the in-process sandbox, dual_write, no
// sync workers, and a patient already delivered.
func tierApp(ctx context.Context, args []string) error {
	dir, err := os.MkdirTemp("", "riverspike-tier-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	env := map[string]string{"DATABASE_URL": "sqlite://" + filepath.Join(dir, "sb.db"), "SWITCHBOARD_DATA_DIR": dir,
		"SWITCHBOARD_SECRET_KEY": "c3dpdGNoYm9hcmQtYmVuY2htYXJrLWtleS0zMi1ieXQ=", "SWITCHBOARD_ALLOW_DESTINATIONS": "127.0.0.0/8",
		"SWITCHBOARD_ADDR": "127.0.0.1:0", "SWITCHBOARD_LOG_LEVEL": "info", "SWITCHBOARD_LOG_FORMAT": "json", "SWITCHBOARD_SYNC_WORKERS": "0"}
	if args[0] == "agent" {
		env["SWITCHBOARD_SYNC_WORKERS"] = "4"
	}
	cfg, _, err := config.Load("riverspike", nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		return err
	}
	a, err := app.New(ctx, cfg, logging.New(io.Discard, cfg.LogFormat, cfg.LogLevel))
	if err != nil {
		return err
	}
	defer a.Close()
	orgID, key, err := seedOrg(ctx, a)
	if err != nil {
		return err
	}
	if args[0] == "agent" {
		err = seedAgent(ctx, a, orgID, args[1])
	} else {
		err = seedDualWrite(ctx, a, orgID)
	}
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	return listenBoth(a.Router, key)
}

func seedOrg(ctx context.Context, a *app.App) (int64, string, error) {
	org, err := a.Store.CreateOrganization(ctx, "bench", "Benchmark Dental")
	if err != nil {
		return 0, "", err
	}
	t := a.Store.Tenant(org.ID)
	hash, err := auth.HashPassword(auth.RandomPassword())
	if err != nil {
		return 0, "", err
	}
	u, err := a.Store.CreateUser(ctx, "owner@bench.test", "Benchmark Owner", hash)
	if err != nil {
		return 0, "", err
	}
	if _, err := t.AddMember(ctx, u.ID, models.RoleOwner); err != nil {
		return 0, "", err
	}
	key, prefix, khash := auth.NewAPIKey()
	_, err = t.CreateAPIKey(ctx, "bench", models.KeyRoleAgent, prefix, khash, nil)
	return org.ID, key, err
}

func saveCreds(ctx context.Context, a *app.App, orgID, integID int64, fields map[string]string) error {
	sealed, names, err := a.Vault.Seal(orgID, integID, definition.EnvProduction, fields)
	if err != nil {
		return err
	}
	return a.Store.Tenant(orgID).SaveCredential(ctx, &models.Credential{IntegrationID: integID,
		Environment: definition.EnvProduction, Sealed: sealed, FieldNames: names})
}

// seedAgent adds the bench's "bench" integration (GetPatient).
func seedAgent(ctx context.Context, a *app.App, orgID int64, upstream string) error {
	doc := &definition.Document{Slug: "bench", Name: "Benchmark upstream",
		BaseURL: map[string]string{definition.EnvProduction: upstream},
		Auth: definition.Auth{Type: definition.AuthAPIKey, Header: "Authorization",
			Template: "ODFHIR {{developer_key}}/{{customer_key}}"},
		CredentialFields: definition.Fields("developer_key", "customer_key"),
		Endpoints: []definition.Endpoint{{Function: "GetPatient", Method: http.MethodGet, Path: "/patients/{PatNum}",
			Params: []definition.Param{{Name: "PatNum", In: definition.InPath, Type: definition.TypeInteger, Required: true}}}},
		ParameterMaps: []definition.ParameterMap{{Internal: "patient_id", External: "PatNum"}}}
	in, err := a.Registry.Create(ctx, orgID, doc, "")
	if err != nil {
		return err
	}
	return saveCreds(ctx, a, orgID, in.ID, map[string]string{"developer_key": "k1", "customer_key": "k2"})
}

// seedDualWrite adds Open Dental from the catalog on the in-process
// sandbox, dual_write, and one patient delivered (so appointment jobs do
// not wait), as bench -sync does.
func seedDualWrite(ctx context.Context, a *app.App, orgID int64) error {
	box := sandbox.New(sandbox.DefaultConfig())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go func() { _ = http.Serve(ln, box) }()
	entry, err := catalog.Get("opendental")
	if err != nil {
		return err
	}
	doc, err := entry.Doc.Clone()
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String() + sandbox.OpenDentalPrefix
	doc.BaseURL = map[string]string{definition.EnvProduction: base, definition.EnvSandbox: base}
	doc.AccessWindows, doc.RateLimit = nil, nil
	in, err := a.Registry.Create(ctx, orgID, doc, "opendental")
	if err != nil {
		return err
	}
	sc := box.Config()
	if err := saveCreds(ctx, a, orgID, in.ID, map[string]string{"developer_key": sc.OpenDentalDeveloperKey, "customer_key": sc.OpenDentalCustomerKey}); err != nil {
		return err
	}
	t := a.Store.Tenant(orgID)
	if err := t.SaveSyncConfig(ctx, &models.SyncConfig{IntegrationID: in.ID, Enabled: true, Direction: models.DirectionDualWrite,
		Environment: definition.EnvProduction, SyncOnCreate: true, SyncOnUpdate: true, SyncOnDelete: true,
		Entities: "appointment,patient", ConflictResolution: models.ConflictNewestWins, PollIntervalSeconds: 60}); err != nil {
		return err
	}
	p := &models.Patient{FirstName: "Ada", LastName: "Benchmark", Phone: "(503) 555-0100"}
	if _, err := a.Sync.CreatePatient(ctx, orgID, p); err != nil {
		return err
	}
	for {
		ran, err := a.Sync.RunOne(ctx)
		if err != nil {
			return err
		}
		if !ran {
			break
		}
	}
	if p.ID != 1 {
		return fmt.Errorf("the patient is %d, the load expects 1", p.ID)
	}
	return nil
}
