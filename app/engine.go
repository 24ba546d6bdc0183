package app

import (
	"context"
	"log/slog"
	"path/filepath"

	"switchboard/auth"
	"switchboard/integrations/alerts"
	"switchboard/integrations/calllog"
	"switchboard/integrations/catalog"
	"switchboard/integrations/executor"
	"switchboard/integrations/outbound"
	"switchboard/integrations/registry"
	"switchboard/integrations/syncer"
	"switchboard/integrations/vault"
	"switchboard/secret"
	"switchboard/web/middleware"
)

// buildEngine loads the secret key and builds what runs integrations: the
// key authenticator, the definition registry, the vault and credential
// source, the call log, the executor and the syncer (and the demo's
// sandbox). It returns the key, from which the session cookie's keys
// derive.
func (a *App) buildEngine(ctx context.Context) ([]byte, error) {
	cfg, logger, store := a.Config, a.Logger, a.Store
	// Before anything copies the store: River's hook rides on it.
	a.Engine = a.newEngine()
	key, generated, err := secret.Load(cfg.SecretKey, cfg.DataDir, cfg.Embedded(), a.Logger)
	if err != nil {
		return nil, err
	}
	if generated {
		logger.Warn("generated a new secret key; back it up, stored credentials cannot be read without it",
			"path", filepath.Join(cfg.DataDir, secret.KeyFile))
	}
	if err := CheckKeyFingerprint(ctx, store, key); err != nil {
		return nil, err
	}
	box, err := secret.NewBox(key)
	if err != nil {
		return nil, err
	}
	if a.Policy, err = outbound.NewPolicy(cfg.AllowDestinations); err != nil {
		return nil, err
	}
	a.Keys, a.Throttle, a.Registry, a.Vault = auth.NewKeyAuthenticator(store, logger), auth.NewStoredThrottle(store, nil), registry.New(store), vault.New(box)
	a.Metrics = middleware.NewMetrics()
	a.Calls = calllog.New(calllog.Config{Store: store, Registry: a.Registry, Logger: logger, Buffer: 10_000, Count: a.Metrics.CountExecution,
		Observe: a.Metrics.ObserveUpstream})
	a.Credentials = vault.NewSource(store, a.Vault).WithPlatform(platformCredentials(cfg.Env, logger))
	a.CredentialUses = vault.NewUseRecorder(store, a.Credentials, logger)
	cache, err := a.responseCache()
	if err != nil {
		return nil, err
	}
	a.Alerts = alerts.New(alerts.Config{Store: store, Box: box, Engine: a.Engine, Client: outbound.NewClient(a.Policy), Logger: logger})
	a.Executor = executor.New(executor.Config{Registry: a.Registry, Credentials: a.Credentials,
		Client: outbound.NewClient(a.Policy), Logger: logger, Cache: cache, Uses: a.CredentialUses, Calls: a.Calls, Refs: store,
		Health: a.Alerts})
	a.WebhookSecrets = vault.NewWebhookSecrets(a.Vault)
	a.Sync = syncer.New(syncer.Config{Store: store, Registry: a.Registry, Executor: a.Executor, Logger: logger,
		Workers: cfg.SyncWorkers, Secrets: a.WebhookSecrets, Lease: cfg.SyncLease, Outcome: a.Metrics.CountSyncJob,
		Parked: a.Alerts})
	a.Metrics.UseGauges(middleware.Gauges{OpenCircuits: a.Executor.OpenCircuits, SyncJobs: store.SyncJobsByStatus})
	a.Sync.SetEngine(a.Engine)
	if err := a.registerJobs(ctx); err != nil {
		return nil, err
	}
	if cfg.Demo {
		if err := a.startSandbox(); err != nil {
			return nil, err
		}
	}
	return key, nil
}

// platformCredentials reads the credentials an operator configured once
// for every practice (per catalog slug and environment) from env, and logs
// which are set: names, never values.
func platformCredentials(env func(string) string, logger *slog.Logger) *vault.Platform {
	entries, err := catalog.List()
	if err != nil {
		logger.Warn("platform credentials: the catalog does not load", "error", err)
		return vault.NewPlatform(nil, nil)
	}
	list := make([]vault.PlatformEntry, 0, len(entries))
	for _, e := range entries {
		list = append(list, vault.PlatformEntry{Slug: e.Slug, Fields: e.Doc.CredentialNames()})
	}
	p := vault.NewPlatform(env, list)
	if names := p.Configured(); len(names) > 0 {
		logger.Info("platform credentials configured", "integrations", names)
	}
	return p
}
