package config

import (
	"io"
	"strings"
	"testing"
)

func envOf(m map[string]string) Getenv { return func(k string) string { return m[k] } }

func TestLoadPrecedence(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		wantAddr string
		wantDB   string
		wantDemo bool
	}{
		{"DefaultsWhenNothingSet", nil, nil, ":8080", "sqlite://./data/switchboard.db", false},
		{"EnvOverridesDefault", nil, map[string]string{"SWITCHBOARD_ADDR": ":9090", "DATABASE_URL": "postgres://x@y/z"}, ":9090", "postgres://x@y/z", false},
		{"FlagOverridesEnv", []string{"--addr", ":7070", "--demo"}, map[string]string{"SWITCHBOARD_ADDR": ":9090", "SWITCHBOARD_DEMO": "false"}, ":7070", "sqlite://./data/switchboard.db", true},
		{"EnvTurnsDemoOn", nil, map[string]string{"SWITCHBOARD_DEMO": "1"}, ":8080", "sqlite://./data/switchboard.db", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, err := Load("serve", tt.args, envOf(tt.env), io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if c.Addr != tt.wantAddr || c.DatabaseURL != tt.wantDB || c.Demo != tt.wantDemo {
				t.Fatalf("got addr=%q db=%q demo=%v, want %q %q %v", c.Addr, c.DatabaseURL, c.Demo, tt.wantAddr, tt.wantDB, tt.wantDemo)
			}
		})
	}
}

func TestLoadRejectsBadSettings(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
	}{
		{"UnknownDatabaseScheme", []string{"--db", "mysql://x"}, nil},
		{"BadAddr", []string{"--addr", "nonsense"}, nil},
		{"BadCIDR", nil, map[string]string{"SWITCHBOARD_ALLOW_DESTINATIONS": "10.0.0.0/99"}},
		{"BadDuration", []string{"--shutdown-timeout", "soon"}, nil},
		{"BadLogLevel", []string{"--log-level", "loud"}, nil},
		{"NegativeSyncWorkers", []string{"--sync-workers", "-1"}, nil},
		{"TooManySyncWorkers", nil, map[string]string{"SWITCHBOARD_SYNC_WORKERS": "1000"}},
		{"WordSyncWorkers", []string{"--sync-workers", "many"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := Load("serve", tt.args, envOf(tt.env), io.Discard); err == nil {
				t.Fatal("Load accepted a bad setting")
			}
		})
	}
}

func TestAllowDestinationsSplit(t *testing.T) {
	c, _, err := Load("serve", nil, envOf(map[string]string{"SWITCHBOARD_ALLOW_DESTINATIONS": " 127.0.0.0/8, sandbox.local ,"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.AllowDestinations) != 2 || c.AllowDestinations[0] != "127.0.0.0/8" || c.AllowDestinations[1] != "sandbox.local" {
		t.Fatalf("got %q", c.AllowDestinations)
	}
}

func TestSyncWorkers(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want int
	}{
		{"Default", nil, nil, 4},
		{"Env", nil, map[string]string{"SWITCHBOARD_SYNC_WORKERS": "8"}, 8},
		{"FlagOverEnv", []string{"--sync-workers", "0"}, map[string]string{"SWITCHBOARD_SYNC_WORKERS": "8"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, err := Load("serve", tt.args, envOf(tt.env), io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if c.SyncWorkers != tt.want {
				t.Fatalf("SyncWorkers = %d, want %d", c.SyncWorkers, tt.want)
			}
		})
	}
}

// TestDataDirHoldsTheDefaultDatabase: the data folder alone, set by flag or
// by environment, moves the embedded database; an explicit database wins.
func TestDataDirHoldsTheDefaultDatabase(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantDir string
		wantDB  string
	}{
		{"Flag", []string{"--data-dir", "/srv/switchboard"}, nil, "/srv/switchboard", "sqlite:///srv/switchboard/switchboard.db"},
		{"Env", nil, map[string]string{"SWITCHBOARD_DATA_DIR": "/var/lib/switchboard/"}, "/var/lib/switchboard/", "sqlite:///var/lib/switchboard/switchboard.db"},
		{"FlagOverridesEnv", []string{"--data-dir", "./elsewhere"}, map[string]string{"SWITCHBOARD_DATA_DIR": "/var/lib/switchboard"}, "./elsewhere", "sqlite://./elsewhere/switchboard.db"},
		{"DatabaseURLWins", nil, map[string]string{"SWITCHBOARD_DATA_DIR": "/srv/sb", "DATABASE_URL": "sqlite:///other/x.db"}, "/srv/sb", "sqlite:///other/x.db"},
		{"DBFlagWins", []string{"--data-dir", "/srv/sb", "--db", "postgres://u@127.0.0.1/db"}, nil, "/srv/sb", "postgres://u@127.0.0.1/db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, err := Load("serve", tt.args, envOf(tt.env), io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if c.DataDir != tt.wantDir || c.DatabaseURL != tt.wantDB {
				t.Fatalf("got data dir %q, db %q; want %q, %q", c.DataDir, c.DatabaseURL, tt.wantDir, tt.wantDB)
			}
		})
	}
}

func TestEmptyDataDirIsRefused(t *testing.T) {
	_, _, err := Load("serve", []string{"--data-dir", ""}, envOf(nil), io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--data-dir") {
		t.Fatalf("an empty data folder gave %v, want an error naming --data-dir", err)
	}
}
