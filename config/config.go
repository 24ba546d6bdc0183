// Package config reads Switchboard's settings: a flag first, then the
// environment variable, then the default (the README lists them).
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"switchboard/database"
)

// Config holds every setting of the process. The zero value is not useful:
// build it with Load or Default.
type Config struct {
	// Addr is the listen address of the web server.
	Addr string
	// DatabaseURL is sqlite://PATH or postgres://….
	DatabaseURL string
	// DataDir holds the embedded database and the generated secret key.
	DataDir string
	// SecretKey is the base64 key that encrypts stored credentials.
	SecretKey string
	// AllowDestinations lists hosts or CIDRs that outbound calls may reach
	// although they are loopback or private.
	AllowDestinations []string
	// SecureCookies marks the session cookie Secure (serve behind TLS).
	SecureCookies bool
	// LogLevel is debug, info, warn or error.
	LogLevel string
	// LogFormat is json, text or auto (json unless stdout is a terminal).
	LogFormat string
	// ShutdownTimeout bounds the graceful shutdown.
	ShutdownTimeout time.Duration
	// APICallRetention is how long api_calls rows are kept.
	APICallRetention time.Duration
	// Demo seeds the demo organization and mounts the sandbox.
	Demo bool
	// SyncWorkers is the number of outbox workers of this process; 0 runs
	// none (a web-only node beside worker nodes on one PostgreSQL).
	SyncWorkers int
	// SyncLease and JobRescueAfter, when set (tests), shorten how long a
	// delivery's lease lasts (default 30s) and how long the job of a
	// process that died stays taken before another process runs it
	// (PostgreSQL; default 3 minutes).
	SyncLease, JobRescueAfter time.Duration
	// MetricsToken, when set, is the bearer token /metrics requires of every
	// caller; when empty, /metrics answers loopback callers only.
	MetricsToken string
	// TrustedProxies are the CIDRs of reverse proxies whose
	// X-Forwarded-For names the client; none by default.
	TrustedProxies []string
	// RedisURL, when set (redis://…), holds the response cache in Redis,
	// shared by every process; when empty it stays in this process.
	RedisURL string
	// RedisPrefix starts every Redis key of the response cache; default
	// "switchboard:" (tests give each their own).
	RedisPrefix string
	// Env is the environment the process started with (nil: none). The
	// platform credentials are read from it: SWITCHBOARD_PLATFORM_<SLUG>_
	// <ENV>_<FIELD> and the original system's names (OPENAI_API_KEY, …).
	Env func(string) string
}

// Setting describes one setting for the README and for --help.
type Setting struct {
	Flag, Env, Default, Help string
}

// Settings lists every setting in the order the README shows them.
var Settings = []Setting{
	{"--addr", "SWITCHBOARD_ADDR", ":8080", "listen address"},
	{"--db", "DATABASE_URL", "sqlite://<data dir>/switchboard.db", "database: sqlite://PATH (embedded) or postgres://…"},
	{"--data-dir", "SWITCHBOARD_DATA_DIR", "./data", "folder for the embedded database and the generated secret key"},
	{"", "SWITCHBOARD_SECRET_KEY", "(generated into <data dir>/secret.key in embedded mode)", "standard base64 of 32 bytes; encrypts stored credentials"},
	{"", "SWITCHBOARD_ALLOW_DESTINATIONS", "(empty)", "comma-separated hosts or CIDRs outbound calls may reach although loopback/private"},
	{"--secure-cookies", "SWITCHBOARD_SECURE_COOKIES", "false", "mark the session cookie Secure (set when served over TLS)"},
	{"--log-level", "SWITCHBOARD_LOG_LEVEL", "info", "debug, info, warn or error"},
	{"--log-format", "SWITCHBOARD_LOG_FORMAT", "auto", "json, text, or auto (JSON unless stdout is a terminal)"},
	{"--shutdown-timeout", "SWITCHBOARD_SHUTDOWN_TIMEOUT", "15s", "how long a graceful shutdown may take"},
	{"--api-call-retention", "SWITCHBOARD_API_CALL_RETENTION", "720h", "how long execution records (api_calls) are kept"},
	{"--demo", "SWITCHBOARD_DEMO", "false", "serve only: seed the demo organization and mount the sandbox"},
	{"--sync-workers", "SWITCHBOARD_SYNC_WORKERS", "4", "background workers of this process (SQLite: outbox workers; PostgreSQL: 8 River workers each; 0: none, for web-only nodes sharing a PostgreSQL with worker nodes)"},
	{"", "SWITCHBOARD_METRICS_TOKEN", "(empty)", "bearer token /metrics requires of every caller; when empty, /metrics answers loopback callers only"},
	{"", "SWITCHBOARD_TRUSTED_PROXIES", "(empty)", "comma-separated CIDRs of reverse proxies whose X-Forwarded-For is believed for the client address (login throttle, audit log); when empty, the TCP peer is the client"},
	{"", "SWITCHBOARD_REDIS_URL", "(empty)", "redis://… shares the response cache of cache_ttl functions among processes; when empty it stays in this process"},
}

// Getenv looks up an environment variable.
type Getenv func(string) string

// Load parses args with a flag set named name, falling back to env and then
// to the defaults. It returns the remaining positional arguments.
func Load(name string, args []string, getenv Getenv, stderr io.Writer) (Config, []string, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	finish := Bind(fs, getenv)
	if err := ParseArgs(fs, args); err != nil {
		return Config{}, nil, err
	}
	c, err := finish()
	return c, fs.Args(), err
}

// ParseArgs parses flags wherever they stand among the positional
// arguments (Go's flag package stops at the first positional one), so
// `import registry FILE --dry-run` and `import registry --dry-run FILE`
// mean the same. After "--" everything is positional. fs.Args() is then
// the positional arguments in their order.
func ParseArgs(fs *flag.FlagSet, args []string) error {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			positional = append(positional, rest...)
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	return fs.Parse(append([]string{"--"}, positional...))
}

// Bind registers the settings' flags on fs, so that a subcommand can add
// flags of its own beside them. Call the returned function after fs.Parse to
// get the validated Config.
func Bind(fs *flag.FlagSet, getenv Getenv) func() (Config, error) {
	envOr := func(key, def string) string {
		if v := strings.TrimSpace(getenv(key)); v != "" {
			return v
		}
		return def
	}
	var c Config
	var secure, demo, shutdown, retention, workers string
	fs.StringVar(&c.Addr, "addr", envOr("SWITCHBOARD_ADDR", ":8080"), "listen address")
	fs.StringVar(&c.DatabaseURL, "db", envOr("DATABASE_URL", ""), "database URL (default sqlite://<data dir>/switchboard.db)")
	fs.StringVar(&c.DataDir, "data-dir", envOr("SWITCHBOARD_DATA_DIR", "./data"), "data folder")
	fs.StringVar(&secure, "secure-cookies", envOr("SWITCHBOARD_SECURE_COOKIES", "false"), "Secure session cookie")
	fs.StringVar(&c.LogLevel, "log-level", envOr("SWITCHBOARD_LOG_LEVEL", "info"), "log level")
	fs.StringVar(&c.LogFormat, "log-format", envOr("SWITCHBOARD_LOG_FORMAT", "auto"), "log format")
	fs.StringVar(&shutdown, "shutdown-timeout", envOr("SWITCHBOARD_SHUTDOWN_TIMEOUT", "15s"), "graceful shutdown limit")
	fs.StringVar(&retention, "api-call-retention", envOr("SWITCHBOARD_API_CALL_RETENTION", "720h"), "api_calls retention")
	fs.StringVar(&demo, "demo", envOr("SWITCHBOARD_DEMO", "false"), "seed the demo organization and sandbox")
	fs.StringVar(&workers, "sync-workers", envOr("SWITCHBOARD_SYNC_WORKERS", "4"), "background workers of this process (0: none)")
	// --demo and --secure-cookies are booleans on the command line.
	boolFlag(fs, "demo", &demo)
	boolFlag(fs, "secure-cookies", &secure)
	return func() (Config, error) {
		c.Env = getenv
		c.SecretKey = strings.TrimSpace(getenv("SWITCHBOARD_SECRET_KEY"))
		if c.DatabaseURL == "" {
			c.DatabaseURL = DefaultDatabaseURL(c.DataDir)
		}
		c.AllowDestinations = splitList(getenv("SWITCHBOARD_ALLOW_DESTINATIONS"))
		c.MetricsToken = strings.TrimSpace(getenv("SWITCHBOARD_METRICS_TOKEN"))
		c.TrustedProxies = splitList(getenv("SWITCHBOARD_TRUSTED_PROXIES"))
		c.RedisURL = strings.TrimSpace(getenv("SWITCHBOARD_REDIS_URL"))
		var errs []error
		var err error
		if c.SecureCookies, err = parseBool("secure-cookies", secure); err != nil {
			errs = append(errs, err)
		}
		if c.Demo, err = parseBool("demo", demo); err != nil {
			errs = append(errs, err)
		}
		if c.ShutdownTimeout, err = parseDuration("shutdown-timeout", shutdown); err != nil {
			errs = append(errs, err)
		}
		if c.APICallRetention, err = parseDuration("api-call-retention", retention); err != nil {
			errs = append(errs, err)
		}
		if c.SyncWorkers, err = parseCount("sync-workers", workers, maxSyncWorkers); err != nil {
			errs = append(errs, err)
		}
		if err := c.Validate(); err != nil {
			errs = append(errs, err)
		}
		if len(errs) > 0 {
			return Config{}, errors.Join(errs...)
		}
		return c, nil
	}
}

// DatabaseFile is the embedded database's file name inside the data folder.
const DatabaseFile = "switchboard.db"

// DefaultDatabaseURL is the database used when neither --db nor
// DATABASE_URL is set: the embedded SQLite file in the data folder, so that
// moving the data folder moves the database along with the secret key.
func DefaultDatabaseURL(dataDir string) string {
	return "sqlite://" + strings.TrimRight(dataDir, "/") + "/" + DatabaseFile
}

// boolFlag re-registers a string-backed flag so that a bare `--name` means
// true, as users expect of a switch.
func boolFlag(fs *flag.FlagSet, name string, target *string) {
	f := fs.Lookup(name)
	f.Value = &switchValue{target: target}
}

type switchValue struct{ target *string }

func (s *switchValue) String() string {
	if s == nil || s.target == nil {
		return ""
	}
	return *s.target
}
func (s *switchValue) Set(v string) error { *s.target = v; return nil }
func (s *switchValue) IsBoolFlag() bool   { return true }

// Validate checks the settings that can be checked without side effects.
func (c Config) Validate() error {
	var errs []error
	if !strings.HasPrefix(c.DatabaseURL, "sqlite://") && !strings.HasPrefix(c.DatabaseURL, "postgres://") &&
		!strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		errs = append(errs, fmt.Errorf("config: --db / DATABASE_URL: must start with sqlite:// or postgres:// (got %q)", database.Redact(c.DatabaseURL)))
	}
	if c.RedisURL != "" && !strings.HasPrefix(c.RedisURL, "redis://") && !strings.HasPrefix(c.RedisURL, "rediss://") {
		errs = append(errs, errors.New("config: SWITCHBOARD_REDIS_URL: must start with redis:// or rediss://"))
	}
	if strings.TrimSpace(c.DataDir) == "" {
		errs = append(errs, errors.New("config: --data-dir / SWITCHBOARD_DATA_DIR: must not be empty"))
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		// The address is quoted: a value with a line break must not
		// start a line of the error that names no setting.
		reason := err.Error()
		if ae, ok := errors.AsType[*net.AddrError](err); ok {
			reason = ae.Err
		}
		errs = append(errs, fmt.Errorf("config: --addr / SWITCHBOARD_ADDR: %q is not host:port: %s", c.Addr, reason))
	}
	for _, d := range c.AllowDestinations {
		if strings.Contains(d, "/") {
			if _, err := netip.ParsePrefix(d); err != nil {
				errs = append(errs, fmt.Errorf("config: SWITCHBOARD_ALLOW_DESTINATIONS: %q is not a valid CIDR", d))
			}
		}
	}
	for _, p := range c.TrustedProxies {
		if _, err := netip.ParsePrefix(p); err != nil {
			errs = append(errs, fmt.Errorf("config: SWITCHBOARD_TRUSTED_PROXIES: %q is not a CIDR (e.g. 10.0.0.0/8 or 192.0.2.7/32)", p))
		}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("config: --log-level: must be debug, info, warn or error (got %q)", c.LogLevel))
	}
	switch c.LogFormat {
	case "json", "text", "auto":
	default:
		errs = append(errs, fmt.Errorf("config: --log-format: must be json, text or auto (got %q)", c.LogFormat))
	}
	return errors.Join(errs...)
}

// Embedded reports whether the database is the embedded SQLite.
func (c Config) Embedded() bool { return strings.HasPrefix(c.DatabaseURL, "sqlite://") }

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func parseBool(name, v string) (bool, error) {
	switch strings.ToLower(v) {
	case "1", "true", "yes", "on":
		return true, nil
	case "", "0", "false", "no", "off":
		return false, nil
	}
	return false, fmt.Errorf("config: --%s: must be true or false (got %q)", name, v)
}

// maxSyncWorkers bounds --sync-workers: each worker holds a database
// connection while it delivers.
const maxSyncWorkers = 256

func parseCount(name, v string, most int) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > most {
		return 0, fmt.Errorf("config: --%s: must be a whole number from 0 to %d (got %q)", name, most, v)
	}
	return n, nil
}

func parseDuration(name, v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("config: --%s: must be a positive Go duration such as 15s (got %q)", name, v)
	}
	return d, nil
}
