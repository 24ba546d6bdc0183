package vault

import (
	"sort"
	"strings"

	"switchboard/integrations/definition"
)

// Credential sources, as the credential page and the integration status
// name them.
const (
	SourcePractice = "practice"
	SourcePlatform = "platform"
	SourceNone     = "none"
)

// PlatformPrefix starts the environment variables of platform
// credentials: SWITCHBOARD_PLATFORM_<SLUG>_<ENV>_<FIELD>, the catalog slug
// and the field in upper case with - as _ (SWITCHBOARD_PLATFORM_CLOUD9_SANDBOX_CLIENT_ID).
const PlatformPrefix = "SWITCHBOARD_PLATFORM_"

// PlatformEntry is a catalog integration whose credential an operator may
// configure once for every practice: its slug and credential fields.
type PlatformEntry struct {
	Slug   string
	Fields []string
}

// platformAlias is a variable of the original system that stands for one
// platform field; an empty env means both environments.
type platformAlias struct {
	name, slug, env, field string
}

// platformAliases are the original system's names (SPEC §11), read when
// the SWITCHBOARD_PLATFORM_ name of the same field is unset.
var platformAliases = []platformAlias{
	{"CLOUD9_PRODUCTION_CLIENT_ID", "cloud9", definition.EnvProduction, "client_id"},
	{"CLOUD9_PRODUCTION_USERNAME", "cloud9", definition.EnvProduction, "username"},
	{"CLOUD9_PRODUCTION_PASSWORD", "cloud9", definition.EnvProduction, "password"},
	{"CLOUD9_SANDBOX_CLIENT_ID", "cloud9", definition.EnvSandbox, "client_id"},
	{"CLOUD9_SANDBOX_USERNAME", "cloud9", definition.EnvSandbox, "username"},
	{"CLOUD9_SANDBOX_PASSWORD", "cloud9", definition.EnvSandbox, "password"},
	{"ANTHROPIC_API_KEY", "anthropic", "", "api_key"},
	{"OPENAI_API_KEY", "openai", "", "api_key"},
	{"TWILIO_ACCOUNT_SID", "twilio", "", "account_sid"},
	{"TWILIO_AUTH_TOKEN", "twilio", "", "auth_token"},
	{"GOOGLE_CLIENT_ID", "google-calendar", "", "client_id"},
	{"GOOGLE_CLIENT_SECRET", "google-calendar", "", "client_secret"},
}

// PlatformAliasNames lists the original system's variable names that are
// read as platform credentials (for the docs and their test).
func PlatformAliasNames() []string {
	out := make([]string, len(platformAliases))
	for i, a := range platformAliases {
		out[i] = a.name
	}
	return out
}

type platformKey struct{ slug, env string }

// Platform holds the credentials an operator configured once for every
// practice, per catalog slug and environment. Its values are never shown,
// logged or returned: callers get them only to make a call.
type Platform struct {
	fields map[platformKey]map[string]string
}

// PlatformVar is the variable that configures one field of a catalog
// integration in an environment.
func PlatformVar(slug, env, field string) string {
	up := func(s string) string { return strings.ToUpper(strings.ReplaceAll(s, "-", "_")) }
	return PlatformPrefix + up(slug) + "_" + up(env) + "_" + up(field)
}

// NewPlatform reads platform credentials for entries from getenv (nil:
// none): each field from its SWITCHBOARD_PLATFORM_ variable, else from the
// original system's name for it.
func NewPlatform(getenv func(string) string, entries []PlatformEntry) *Platform {
	p := &Platform{fields: map[platformKey]map[string]string{}}
	if getenv == nil {
		return p
	}
	known := map[string]map[string]bool{}
	for _, e := range entries {
		known[e.Slug] = map[string]bool{}
		for _, f := range e.Fields {
			known[e.Slug][f] = true
			for _, env := range definition.Environments {
				p.set(env, e.Slug, f, getenv(PlatformVar(e.Slug, env, f)))
			}
		}
	}
	for _, a := range platformAliases {
		if !known[a.slug][a.field] {
			continue
		}
		for _, env := range definition.Environments {
			if a.env == "" || a.env == env {
				if _, set := p.fields[platformKey{a.slug, env}][a.field]; !set {
					p.set(env, a.slug, a.field, getenv(a.name))
				}
			}
		}
	}
	return p
}

func (p *Platform) set(env, slug, field, value string) {
	if value = strings.TrimSpace(value); value == "" {
		return
	}
	k := platformKey{slug, env}
	if p.fields[k] == nil {
		p.fields[k] = map[string]string{}
	}
	p.fields[k][field] = value
}

// Fields is a copy of the platform fields of a catalog slug in an
// environment, nil when none are configured.
func (p *Platform) Fields(slug, env string) map[string]string {
	if p == nil || slug == "" {
		return nil
	}
	f := p.fields[platformKey{slug, env}]
	if len(f) == 0 {
		return nil
	}
	out := make(map[string]string, len(f))
	for k, v := range f {
		out[k] = v
	}
	return out
}

// Has reports whether a catalog slug has platform fields in env.
func (p *Platform) Has(slug, env string) bool {
	return p != nil && slug != "" && len(p.fields[platformKey{slug, env}]) > 0
}

// Configured lists "slug/env" of every platform credential (names only,
// for the start-up log).
func (p *Platform) Configured() []string {
	if p == nil {
		return nil
	}
	var out []string
	for k := range p.fields {
		out = append(out, k.slug+"/"+k.env)
	}
	sort.Strings(out)
	return out
}

// overlay is the platform fields under the practice's: a practice field
// that is set wins, the platform fills the rest (an OAuth app's client id
// and secret beside a practice's own token).
func overlay(platform, practice map[string]string) map[string]string {
	out := make(map[string]string, len(platform)+len(practice))
	for k, v := range platform {
		out[k] = v
	}
	for k, v := range practice {
		if strings.TrimSpace(v) != "" {
			out[k] = v
		}
	}
	return out
}
