package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"

	"switchboard/app"
	"switchboard/auth"
	"switchboard/config"
	"switchboard/integrations/definition"
	"switchboard/logging"
	"switchboard/models"
)

// benchSecretKey is a fixed key (standard base64 of 32 bytes) for the
// throw-away database of a run.
const benchSecretKey = "c3dpdGNoYm9hcmQtYmVuY2htYXJrLWtleS0zMi1ieXQ="

// executeBody is what an agent sends: the internal name patient_id,
// mapped to the endpoint's PatNum by the integration's parameter map.
var executeBody = []byte(fmt.Sprintf(`{"function":"GetPatient","params":{"patient_id":%d}}`, benchPatNum))

// switchboard is the real app, in this process, on a loopback port.
type switchboard struct {
	app    *app.App
	srv    *server
	dir    string
	apiKey string
}

// startSwitchboard builds the app on a fresh SQLite database in a
// temporary folder, serves its router and seeds an organization, an agent
// API key and the "bench" integration pointed at upstream.
func startSwitchboard(ctx context.Context, upstream, logLevel string) (*switchboard, error) {
	dir, err := os.MkdirTemp("", "switchboard-bench-")
	if err != nil {
		return nil, err
	}
	a, err := newApp(ctx, "sqlite://"+filepath.Join(dir, "sb.db"), dir, logLevel, nil)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	sb := &switchboard{app: a, dir: dir}
	if sb.apiKey, err = seed(ctx, a, upstream); err != nil {
		sb.Close()
		return nil, fmt.Errorf("seed the app: %w", err)
	}
	if sb.srv, err = serve(a.Router); err != nil {
		sb.Close()
		return nil, err
	}
	return sb, nil
}

// newApp builds the real app on dbURL with the benchmark's settings
// (loopback outbound calls allowed, logs formatted as in production, then
// thrown away), plus extra settings by environment name.
func newApp(ctx context.Context, dbURL, dir, logLevel string, extra map[string]string) (*app.App, error) {
	env := map[string]string{
		"DATABASE_URL":                   dbURL,
		"SWITCHBOARD_DATA_DIR":           dir,
		"SWITCHBOARD_SECRET_KEY":         benchSecretKey,
		"SWITCHBOARD_ALLOW_DESTINATIONS": "127.0.0.0/8",
		"SWITCHBOARD_ADDR":               "127.0.0.1:0",
		"SWITCHBOARD_LOG_LEVEL":          logLevel,
		"SWITCHBOARD_LOG_FORMAT":         "json",
	}
	maps.Copy(env, extra)
	cfg, _, err := config.Load("bench", nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		return nil, err
	}
	a, err := app.New(ctx, cfg, logging.New(io.Discard, cfg.LogFormat, cfg.LogLevel))
	if err != nil {
		return nil, fmt.Errorf("build the app: %w", err)
	}
	return a, nil
}

// seed creates the organization and the "bench" integration pointed at
// upstream with its credentials, and returns an agent key.
func seed(ctx context.Context, a *app.App, upstream string) (string, error) {
	orgID, key, err := seedOrganization(ctx, a)
	if err != nil {
		return "", err
	}
	in, err := a.Registry.Create(ctx, orgID, benchDocument(upstream), "")
	if err != nil {
		return "", err
	}
	fields := map[string]string{"developer_key": upstreamDeveloperKey, "customer_key": upstreamCustomerKey}
	return key, saveCredentials(ctx, a, orgID, in.ID, fields)
}

// seedOrganization creates the organization, its owner (until a user
// exists the app answers 503 "not set up") and an agent key, and returns
// the organization's id and the key.
func seedOrganization(ctx context.Context, a *app.App) (int64, string, error) {
	org, err := a.Store.CreateOrganization(ctx, "bench", "Benchmark Dental")
	if err != nil {
		return 0, "", err
	}
	tenant := a.Store.Tenant(org.ID)
	if err := seedOwner(ctx, a, tenant); err != nil {
		return 0, "", err
	}
	key, prefix, hash := auth.NewAPIKey()
	if _, err := tenant.CreateAPIKey(ctx, "bench", models.KeyRoleAgent, prefix, hash, nil); err != nil {
		return 0, "", err
	}
	return org.ID, key, nil
}

// saveCredentials seals fields as an integration's production credentials.
func saveCredentials(ctx context.Context, a *app.App, orgID, integrationID int64, fields map[string]string) error {
	sealed, names, err := a.Vault.Seal(orgID, integrationID, definition.EnvProduction, fields)
	if err != nil {
		return err
	}
	return a.Store.Tenant(orgID).SaveCredential(ctx, &models.Credential{IntegrationID: integrationID,
		Environment: definition.EnvProduction, Sealed: sealed, FieldNames: names})
}

// seedOwner adds the organization's owner with a random password nobody
// needs: the benchmark only uses the API key.
func seedOwner(ctx context.Context, a *app.App, tenant *models.Tenant) error {
	hash, err := auth.HashPassword(auth.RandomPassword())
	if err != nil {
		return err
	}
	user, err := a.Store.CreateUser(ctx, "owner@bench.test", "Benchmark Owner", hash)
	if err != nil {
		return err
	}
	_, err = tenant.AddMember(ctx, user.ID, models.RoleOwner)
	return err
}

// benchDocument is an Open Dental-like definition with one function.
func benchDocument(upstream string) *definition.Document {
	return &definition.Document{
		Slug:    "bench",
		Name:    "Benchmark upstream",
		BaseURL: map[string]string{definition.EnvProduction: upstream},
		Auth: definition.Auth{Type: definition.AuthAPIKey, Header: "Authorization",
			Template: "ODFHIR {{developer_key}}/{{customer_key}}"},
		CredentialFields: definition.Fields("developer_key", "customer_key"),
		Endpoints: []definition.Endpoint{{
			Function: "GetPatient", Method: http.MethodGet, Path: "/patients/{PatNum}",
			Params: []definition.Param{{Name: "PatNum", In: definition.InPath, Type: definition.TypeInteger, Required: true}},
		}},
		ParameterMaps: []definition.ParameterMap{{Internal: "patient_id", External: "PatNum"}},
	}
}

// target sends POST /api/integrations/bench as an agent would.
func (sb *switchboard) target(key, name string) *target {
	url := sb.srv.URL + "/api/integrations/bench"
	auth := "Bearer " + sb.apiKey
	return &target{Key: key, Name: name,
		request: func(ctx context.Context) (*http.Request, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(executeBody))
			if err != nil {
				return nil, err
			}
			req.Header.Set("Authorization", auth)
			req.Header.Set("Content-Type", "application/json")
			return req, nil
		},
		check: checkExecute,
	}
}

// Markers of a correct execution: the envelope, and the patient with
// PatNum mapped back to the internal name by the parameter map.
var (
	okMarker        = []byte(`"ok":true`)
	patientIDMarker = []byte(fmt.Sprintf(`"patient_id":%d`, benchPatNum))
)

// checkExecute wants a 200 envelope with ok true around the patient.
func checkExecute(status int, body []byte) error {
	if status != http.StatusOK {
		return fmt.Errorf("status %d: %s", status, excerpt(body))
	}
	for _, m := range [][]byte{okMarker, patientIDMarker} {
		if !bytes.Contains(body, m) {
			return fmt.Errorf("answer lacks %s: %s", m, excerpt(body))
		}
	}
	return nil
}

// DroppedCalls is how many call records the app could not queue.
func (sb *switchboard) DroppedCalls() int64 { return sb.app.Calls.Dropped() }

// Close stops the server and the app and removes the database.
func (sb *switchboard) Close() error {
	var errs []error
	if sb.srv != nil {
		errs = append(errs, sb.srv.Close())
	}
	errs = append(errs, sb.app.Close(), os.RemoveAll(sb.dir))
	return errors.Join(errs...)
}
