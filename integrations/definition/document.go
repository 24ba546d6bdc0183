// Package definition is the integration definition document (see
// docs/adding-an-integration.md): one declarative description of an
// external system (base URLs, auth,
// endpoints, parameter maps, sync functions, error rules, pagination,
// access windows) that round-trips between the database, the admin API
// (JSON), files (YAML or JSON) and the catalog.
//
// ParseJSON and ParseYAML read a document strictly (unknown fields are
// refused), Validate reports every mistake with the exact place in the
// document, and Compile turns a valid document into the form an executor
// runs: endpoints by function, parsed path and text templates, and the
// compiled parameter maps of every endpoint.
package definition

// Document is one integration definition. Field names in JSON and YAML are
// the json tags; empty fields are left out of exports. MaxResponseBytes,
// when set, lowers the executor's cap (10 MiB) on one execution's answer,
// all pages together, for the endpoints that set none of their own.
// TimeZone is the zone the upstream speaks (ZonePractice when empty, an
// IANA name, or UTC): format_datetime writes instants in it and reads
// date-times without an offset in it.
type Document struct {
	Slug        string            `json:"slug"`
	Name        string            `json:"name"`
	Description string            `json:"description,omitempty"`
	Category    string            `json:"category,omitempty"`
	TimeZone    string            `json:"time_zone,omitempty"`
	BaseURL     map[string]string `json:"base_url,omitempty"`
	// DefaultEnvironment is the environment of a call that names none, of
	// sync deliveries and of reference lists: production (also when
	// empty) or sandbox.
	DefaultEnvironment string                    `json:"default_environment,omitempty"`
	Auth               Auth                      `json:"auth,omitzero"`
	CredentialFields   []CredentialField         `json:"credential_fields,omitempty"`
	RequestFormat      string                    `json:"request_format,omitempty"`
	BodyTemplate       string                    `json:"body_template,omitempty"`
	Headers            map[string]string         `json:"headers,omitempty"`
	Timeout            Duration                  `json:"timeout,omitempty"`
	Retry              *Retry                    `json:"retry,omitempty"`
	RateLimit          *RateLimit                `json:"rate_limit,omitempty"`
	Success            *Success                  `json:"success,omitempty"`
	Extract            string                    `json:"extract,omitempty"`
	TestFunction       string                    `json:"test_function,omitempty"`
	Enabled            *bool                     `json:"enabled,omitempty"`
	ErrorRules         []ErrorRule               `json:"error_rules,omitempty"`
	AccessWindows      map[string][]AccessWindow `json:"access_windows,omitempty"`
	Endpoints          []Endpoint                `json:"endpoints,omitempty"`
	ParameterMaps      []ParameterMap            `json:"parameter_maps,omitempty"`
	Sync               map[string]*SyncEntity    `json:"sync,omitempty"`
	Reference          map[string]*ReferenceList `json:"reference,omitempty"`
	// DefaultPickers name, per parameter a sync configuration may give a
	// default for (Cloud9's providerGUID), the list its sync settings card
	// offers the values from.
	DefaultPickers   map[string]*ReferenceList `json:"default_pickers,omitempty"`
	MaxResponseBytes *int64                    `json:"max_response_bytes,omitempty"`
}

// ZonePractice is the time_zone of an upstream that speaks the practice's
// own zone (the organization's time zone); it is the default.
const ZonePractice = "practice"

// Environments a document may give a base URL and access windows for.
const (
	EnvProduction = "production"
	EnvSandbox    = "sandbox"
)

// Environments lists the environments, production first.
var Environments = []string{EnvProduction, EnvSandbox}

// IsEnvironment reports whether env is production or sandbox.
func IsEnvironment(env string) bool { return env == EnvProduction || env == EnvSandbox }

// DefaultEnv is the document's default environment: production unless
// default_environment says sandbox.
func (d *Document) DefaultEnv() string {
	if d.DefaultEnvironment == EnvSandbox {
		return EnvSandbox
	}
	return EnvProduction
}

// Env returns env, or the document's default environment when env is
// empty (a call, a sync configuration or a reference list naming none).
func (d *Document) Env(env string) string {
	if env == "" {
		return d.DefaultEnv()
	}
	return env
}

// Environments lists the environments the document can be used in:
// production, and sandbox when it has a sandbox base URL.
func (d *Document) Environments() []string {
	if d.BaseURL[EnvSandbox] != "" {
		return Environments
	}
	return Environments[:1]
}

// Auth types.
const (
	AuthNone                    = "none"
	AuthAPIKey                  = "api_key"
	AuthBearer                  = "bearer"
	AuthBasic                   = "basic"
	AuthOAuth2ClientCredentials = "oauth2_client_credentials"
	AuthOAuth2RefreshToken      = "oauth2_refresh_token"
	// AuthOAuth2AuthorizationCode is connected by the Credentials tab's
	// Connect button (authorization code with PKCE); the tokens it brings
	// are then used and refreshed like oauth2_refresh_token's.
	AuthOAuth2AuthorizationCode = "oauth2_authorization_code"
	AuthXMLBody                 = "xml_body"
)

// Request formats.
const (
	FormatJSON = "json"
	FormatForm = "form"
	FormatXML  = "xml"
)

// Auth says how requests are authenticated. Its templates ({{name}}) may
// name only credential fields; with xml_body, Template is the request
// envelope and may also use {{function}}, {{params_xml}} and parameters.
type Auth struct {
	Type       string   `json:"type,omitempty"`
	Header     string   `json:"header,omitempty"`
	QueryParam string   `json:"query_param,omitempty"`
	Template   string   `json:"template,omitempty"`
	Username   string   `json:"username,omitempty"`
	Password   string   `json:"password,omitempty"`
	TokenURL   string   `json:"token_url,omitempty"`
	AuthURL    string   `json:"auth_url,omitempty"`
	Scopes     []string `json:"scopes,omitempty"`
	// AuthorizeURL is the consent page of oauth2_authorization_code,
	// AuthorizeParams extra query parameters for it (Google:
	// access_type=offline, prompt=consent), RevokeURL where Disconnect
	// revokes the tokens (optional).
	AuthorizeURL    string            `json:"authorize_url,omitempty"`
	AuthorizeParams map[string]string `json:"authorize_params,omitempty"`
	RevokeURL       string            `json:"revoke_url,omitempty"`
}

// Retry is the retry policy for network errors and the RetryOn statuses;
// the delay grows exponentially from InitialDelay up to MaxDelay.
type Retry struct {
	MaxAttempts  int      `json:"max_attempts"`
	InitialDelay Duration `json:"initial_delay,omitempty"`
	MaxDelay     Duration `json:"max_delay,omitempty"`
	RetryOn      []int    `json:"retry_on,omitempty"`
}

// RateLimit caps outbound calls to an integration (a token bucket).
type RateLimit struct {
	PerSecond float64 `json:"per_second"`
	Burst     int     `json:"burst,omitempty"`
}

// Success is the condition an answer must meet to count as a success, for
// APIs that answer HTTP 200 with an error inside: the value at Path must
// equal Equals.
type Success struct {
	Path   string `json:"path"`
	Equals string `json:"equals"`
}

// Endpoint is one function of the registry.
type Endpoint struct {
	Function     string            `json:"function"`
	Method       string            `json:"method"`
	Path         string            `json:"path"`
	Description  string            `json:"description,omitempty"`
	Tags         []string          `json:"tags,omitempty"`
	Params       []Param           `json:"params,omitempty"`
	BodyTemplate string            `json:"body_template,omitempty"`
	Headers      map[string]string `json:"headers,omitempty"`
	Extract      string            `json:"extract,omitempty"`
	// List marks an answer that is a list: the extracted value is always
	// an array, however many times its XML element appears.
	List       bool        `json:"list,omitempty"`
	IDPath     string      `json:"id_path,omitempty"`
	Writes     bool        `json:"writes,omitempty"`
	RetrySafe  bool        `json:"retry_safe,omitempty"`
	Enabled    *bool       `json:"enabled,omitempty"`
	Pagination *Pagination `json:"pagination,omitempty"`
	ErrorRules []ErrorRule `json:"error_rules,omitempty"`
	// MaxResponseBytes, when set, is this function's cap on one
	// execution's answer (all pages together) instead of the
	// integration's; it never raises the executor's cap.
	MaxResponseBytes *int64 `json:"max_response_bytes,omitempty"`
	// CacheTTL, when set on a function that does not write, is how long
	// its answers are served from the response cache.
	CacheTTL *Duration `json:"cache_ttl,omitempty"`
}

// Parameter locations.
const (
	InPath   = "path"
	InQuery  = "query"
	InBody   = "body"
	InHeader = "header"
)

// Parameter types.
const (
	TypeString  = "string"
	TypeInteger = "integer"
	TypeNumber  = "number"
	TypeBoolean = "boolean"
	TypeArray   = "array"
	TypeObject  = "object"
)

// Param is one parameter of an endpoint, named as the upstream names it.
type Param struct {
	Name        string `json:"name"`
	In          string `json:"in,omitempty"`
	Type        string `json:"type,omitempty"`
	Required    bool   `json:"required,omitempty"`
	Default     any    `json:"default,omitempty"`
	Description string `json:"description,omitempty"`
	Enum        []any  `json:"enum,omitempty"`
}

// Parameter map directions.
const (
	DirectionRequest  = "request"
	DirectionResponse = "response"
	DirectionBoth     = "both"
)

// ParameterMap maps an internal field name to an external one, through a
// transform chain, for one endpoint (Endpoint names its function) or, when
// Endpoint is empty, for all of them.
type ParameterMap struct {
	Internal  string `json:"internal"`
	External  string `json:"external"`
	Transform string `json:"transform,omitempty"`
	Endpoint  string `json:"endpoint,omitempty"`
	Direction string `json:"direction,omitempty"`
}

// Pagination types.
const (
	PageOffset = "offset"
	PageCursor = "cursor"
	PageLink   = "link"
)

// Pagination says how a list function pages; pages are concatenated at the
// endpoint's extract path, up to MaxPages.
type Pagination struct {
	Type        string `json:"type"`
	LimitParam  string `json:"limit_param,omitempty"`
	OffsetParam string `json:"offset_param,omitempty"`
	PageSize    int    `json:"page_size,omitempty"`
	CursorParam string `json:"cursor_param,omitempty"`
	CursorPath  string `json:"cursor_path,omitempty"`
	NextPath    string `json:"next_path,omitempty"`
	MaxPages    int    `json:"max_pages,omitempty"`
}

// Error rule actions.
const (
	ActionRetry                 = "retry"
	ActionFail                  = "fail"
	ActionIgnore                = "ignore"
	ActionRateLimited           = "rate_limited"
	ActionRefreshTokenThenRetry = "refresh_token_then_retry"
)

// ErrorRule maps answers matching When to an action. Message is a fixed
// explanation for the caller; MessagePath takes it from the answer instead.
type ErrorRule struct {
	When        When   `json:"when"`
	Action      string `json:"action"`
	WaitHeader  string `json:"wait_header,omitempty"`
	Message     string `json:"message,omitempty"`
	MessagePath string `json:"message_path,omitempty"`
}

// When is the filter of an error rule; every condition given must hold.
type When struct {
	Status   []int  `json:"status,omitempty"`
	Path     string `json:"path,omitempty"`
	Equals   string `json:"equals,omitempty"`
	Contains string `json:"contains,omitempty"`
}

// AccessWindow is a span of UTC hours ("HH:MM", End exclusive, "24:00"
// allowed) in which an environment may be called, on the given days (mon …
// sun; all days when empty). A window whose End is before its Start runs
// past midnight.
type AccessWindow struct {
	Start string   `json:"start"`
	End   string   `json:"end"`
	Days  []string `json:"days,omitempty"`
}

// Sync entity types.
const (
	EntityAppointment = "appointment"
	EntityPatient     = "patient"
)

// SyncEntity names the functions that sync one entity type, and how
// list_changed is bookmarked: BookmarkPath is read from its answer (the
// last page's) and sent back as BookmarkParam; a bookmark the upstream
// answers 410 Gone to (Google Calendar's expired syncToken) is dropped and
// everything is listed once more. list_changed also takes the
// configuration's defaults among its parameters (a calendarId). With
// IdempotencyHeader set, every sync write carries it with the job's id.
type SyncEntity struct {
	Create            string `json:"create,omitempty"`
	Update            string `json:"update,omitempty"`
	Delete            string `json:"delete,omitempty"`
	Get               string `json:"get,omitempty"`
	ListChanged       string `json:"list_changed,omitempty"`
	BookmarkParam     string `json:"bookmark_param,omitempty"`
	BookmarkPath      string `json:"bookmark_path,omitempty"`
	IDPath            string `json:"id_path,omitempty"`
	IdempotencyHeader string `json:"idempotency_header,omitempty"`
	// Slots names the function that lists the practice system's own free
	// slots (appointments only). Availability sends it from and to (dates
	// in practice time), duration_minutes, provider_ref and operatory_ref
	// by internal name and reads start and end (and provider_ref,
	// operatory_ref when given) from each item it answers; free times are
	// kept only inside those slots.
	Slots string `json:"slots,omitempty"`
	// Busy names the function that answers the target's busy times
	// (appointments only; Google Calendar's freeBusy): availability sends
	// timeMin and timeMax (RFC 3339) and calendarId (the configuration's
	// default), reads every {start, end} in the answer and leaves those
	// times out.
	Busy string `json:"busy,omitempty"`
	// Defaults are parameter values a delivery sends when the record has
	// none; {{name}} in a value is the record's field (summary:
	// "{{patient_name}} · {{appointment_type}}"). A configuration's own
	// defaults win over these.
	Defaults map[string]string `json:"defaults,omitempty"`
}

// IsEnabled reports whether the integration is enabled (the default).
func (d *Document) IsEnabled() bool { return d.Enabled == nil || *d.Enabled }

// IsEnabled reports whether the endpoint is enabled (the default).
func (e *Endpoint) IsEnabled() bool { return e.Enabled == nil || *e.Enabled }

// Endpoint returns the endpoint with the given function name.
func (d *Document) Endpoint(function string) (*Endpoint, bool) {
	for i := range d.Endpoints {
		if d.Endpoints[i].Function == function {
			return &d.Endpoints[i], true
		}
	}
	return nil, false
}
