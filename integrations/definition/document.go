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
	Slug        string            `json:"slug" doc:"The integration's slug: lower-case letters, digits, - or _ (1 to 64), how URLs name it." required:"true"`
	Name        string            `json:"name" doc:"The integration's name." required:"true"`
	Description string            `json:"description,omitempty" doc:"What the integration is."`
	Category    string            `json:"category,omitempty" doc:"A grouping for the catalog (practice management, calendar...)."`
	TimeZone    string            `json:"time_zone,omitempty" doc:"The zone the upstream speaks: practice (the default: the organization's zone), an IANA name, or UTC."`
	BaseURL     map[string]string `json:"base_url,omitempty" doc:"Base URL per environment (production, sandbox)." required:"true"`
	// DefaultEnvironment is the environment of a call that names none, of
	// sync deliveries and of reference lists: production (also when
	// empty) or sandbox.
	DefaultEnvironment string                    `json:"default_environment,omitempty" doc:"The environment of a call that names none, of sync deliveries and of reference lists (production when empty)." enum:"production,sandbox"`
	Auth               Auth                      `json:"auth,omitzero" doc:"How requests are authenticated."`
	CredentialFields   []CredentialField         `json:"credential_fields,omitempty" doc:"The credential fields a practice fills: a bare name or {name, label, help, secret}."`
	RequestFormat      string                    `json:"request_format,omitempty" doc:"How request bodies are encoded." enum:"json,form,xml"`
	BodyTemplate       string                    `json:"body_template,omitempty" doc:"Default request body template of the endpoints."`
	Headers            map[string]string         `json:"headers,omitempty" doc:"Headers every request sends."`
	Timeout            Duration                  `json:"timeout,omitempty" doc:"How long one request may take."`
	Retry              *Retry                    `json:"retry,omitempty" doc:"Retry policy for network errors and the retry_on statuses."`
	RateLimit          *RateLimit                `json:"rate_limit,omitempty" doc:"Cap on outbound calls (a token bucket)."`
	Success            *Success                  `json:"success,omitempty" doc:"A condition an answer must meet to count as a success (for APIs that answer 200 with an error inside)."`
	Extract            string                    `json:"extract,omitempty" doc:"Default dot path of the value to keep from an answer."`
	TestFunction       string                    `json:"test_function,omitempty" doc:"The function Test Connection calls."`
	Enabled            *bool                     `json:"enabled,omitempty" doc:"Whether calls and syncs may use it (true when left out)."`
	ErrorRules         []ErrorRule               `json:"error_rules,omitempty" doc:"Rules mapping matching answers to an action, for every endpoint."`
	AccessWindows      map[string][]AccessWindow `json:"access_windows,omitempty" doc:"Per environment, the UTC hours in which it may be called."`
	Endpoints          []Endpoint                `json:"endpoints,omitempty" doc:"The functions: one upstream request each."`
	ParameterMaps      []ParameterMap            `json:"parameter_maps,omitempty" doc:"Maps from internal field names (Switchboard's) to the upstream's, with transforms."`
	Sync               map[string]*SyncEntity    `json:"sync,omitempty" doc:"Per entity (patient, appointment), the functions that sync it."`
	Reference          map[string]*ReferenceList `json:"reference,omitempty" doc:"Per kind (providers, operatories, locations, appointment_types), the function that lists it."`
	// DefaultPickers name, per parameter a sync configuration may give a
	// default for (Cloud9's providerGUID), the list its sync settings card
	// offers the values from.
	DefaultPickers   map[string]*ReferenceList `json:"default_pickers,omitempty" doc:"Per parameter a sync configuration may give a default for (Cloud9's providerGUID), the reference list its settings card offers values from."`
	MaxResponseBytes *int64                    `json:"max_response_bytes,omitempty" doc:"Lowers the cap (10 MiB) on one execution's answer, all pages together, for endpoints that set none."`
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
	Type       string   `json:"type,omitempty" doc:"How requests are authenticated." enum:"none,api_key,bearer,basic,oauth2_client_credentials,oauth2_refresh_token,oauth2_authorization_code,xml_body"`
	Header     string   `json:"header,omitempty" doc:"The header that carries the key or token."`
	QueryParam string   `json:"query_param,omitempty" doc:"The query parameter that carries the key, instead of a header."`
	Template   string   `json:"template,omitempty" doc:"Template of the header value ({{name}} names a credential field); with xml_body, the request envelope."`
	Username   string   `json:"username,omitempty" doc:"Template of the basic auth user name ({{name}} names a credential field)."`
	Password   string   `json:"password,omitempty" doc:"Template of the basic auth password ({{name}} names a credential field)."`
	TokenURL   string   `json:"token_url,omitempty" doc:"The OAuth token endpoint."`
	AuthURL    string   `json:"auth_url,omitempty" doc:"The OAuth authorization (consent) URL, kept from an imported OpenAPI document; informational"`
	Scopes     []string `json:"scopes,omitempty" doc:"OAuth scopes to ask for."`
	// AuthorizeURL is the consent page of oauth2_authorization_code,
	// AuthorizeParams extra query parameters for it (Google:
	// access_type=offline, prompt=consent), RevokeURL where Disconnect
	// revokes the tokens (optional).
	AuthorizeURL    string            `json:"authorize_url,omitempty" doc:"The consent page of oauth2_authorization_code."`
	AuthorizeParams map[string]string `json:"authorize_params,omitempty" doc:"Extra query parameters for the consent page (Google: access_type=offline, prompt=consent)."`
	RevokeURL       string            `json:"revoke_url,omitempty" doc:"Where Disconnect revokes the tokens (optional)."`
}

// Retry is the retry policy for network errors and the RetryOn statuses;
// the delay grows exponentially from InitialDelay up to MaxDelay.
type Retry struct {
	MaxAttempts  int      `json:"max_attempts" doc:"At most this many requests in all." required:"true"`
	InitialDelay Duration `json:"initial_delay,omitempty" doc:"The first wait; each next one doubles, up to max_delay."`
	MaxDelay     Duration `json:"max_delay,omitempty" doc:"The longest wait between two requests."`
	RetryOn      []int    `json:"retry_on,omitempty" doc:"HTTP statuses that are retried (network errors always are)."`
}

// RateLimit caps outbound calls to an integration (a token bucket).
type RateLimit struct {
	PerSecond float64 `json:"per_second" doc:"Calls per second on average." required:"true"`
	Burst     int     `json:"burst,omitempty" doc:"How many calls may go at once before the rate applies."`
}

// Success is the condition an answer must meet to count as a success, for
// APIs that answer HTTP 200 with an error inside: the value at Path must
// equal Equals.
type Success struct {
	Path   string `json:"path" doc:"Dot path of the value in the answer." required:"true"`
	Equals string `json:"equals" doc:"The value the path must hold."`
}

// Endpoint is one function of the registry.
type Endpoint struct {
	Function     string            `json:"function" doc:"The function's name, unique in the integration." required:"true"`
	Method       string            `json:"method" doc:"The HTTP method." required:"true"`
	Path         string            `json:"path" doc:"The upstream path, with {name} for path parameters."`
	Description  string            `json:"description,omitempty" doc:"What the function does, for people and agents."`
	Tags         []string          `json:"tags,omitempty" doc:"Tags grouping the function."`
	Params       []Param           `json:"params,omitempty" doc:"The function's parameters, named as the upstream names them."`
	BodyTemplate string            `json:"body_template,omitempty" doc:"The request body template ({{name}} names a parameter)."`
	Headers      map[string]string `json:"headers,omitempty" doc:"Headers this function's requests send."`
	Extract      string            `json:"extract,omitempty" doc:"Dot path of the value to keep from the answer."`
	// List marks an answer that is a list: the extracted value is always
	// an array, however many times its XML element appears.
	List       bool        `json:"list,omitempty" doc:"The answer is a list: the extracted value is always an array, however many times its XML element appears."`
	IDPath     string      `json:"id_path,omitempty" doc:"Dot path of the created or read record's id in the answer."`
	Writes     bool        `json:"writes,omitempty" doc:"Whether the function changes data upstream."`
	RetrySafe  bool        `json:"retry_safe,omitempty" doc:"A write that may be retried safely (the upstream deduplicates it)."`
	Enabled    *bool       `json:"enabled,omitempty" doc:"Whether the function may be called (true when left out)."`
	Pagination *Pagination `json:"pagination,omitempty" doc:"How the function pages, for list functions."`
	ErrorRules []ErrorRule `json:"error_rules,omitempty" doc:"Rules mapping matching answers to an action, before the integration's."`
	// MaxResponseBytes, when set, is this function's cap on one
	// execution's answer (all pages together) instead of the
	// integration's; it never raises the executor's cap.
	MaxResponseBytes *int64 `json:"max_response_bytes,omitempty" doc:"This function's cap on one execution's answer (all pages together) instead of the integration's; never above the executor's."`
	// CacheTTL, when set on a function that does not write, is how long
	// its answers are served from the response cache.
	CacheTTL *Duration `json:"cache_ttl,omitempty" doc:"On a function that does not write: how long its answers are served from the response cache."`
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
	Name        string `json:"name" doc:"The parameter's name, as the upstream names it." required:"true"`
	In          string `json:"in,omitempty" doc:"Where the parameter goes." enum:"path,query,body,header"`
	Type        string `json:"type,omitempty" doc:"The parameter's JSON type." enum:"string,integer,number,boolean,array,object"`
	Required    bool   `json:"required,omitempty" doc:"Whether a call must give it."`
	Default     any    `json:"default,omitempty" doc:"The value sent when the caller gives none."`
	Description string `json:"description,omitempty" doc:"What the parameter is (say which system's id it takes)."`
	Enum        []any  `json:"enum,omitempty" doc:"The values allowed."`
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
	Internal  string `json:"internal" doc:"Switchboard's name for the field (patient_id means Switchboard's patient id)." required:"true"`
	External  string `json:"external" doc:"The upstream's name for the field." required:"true"`
	Transform string `json:"transform,omitempty" doc:"A chain of transforms joined by | (trim|format_date:2006-01-02)."`
	Endpoint  string `json:"endpoint,omitempty" doc:"The function the map applies to; empty: all of them."`
	Direction string `json:"direction,omitempty" doc:"request maps what is sent, response what is answered, both (the default) both." enum:"request,response,both"`
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
	Type        string `json:"type" doc:"How the function pages." enum:"offset,cursor,link" required:"true"`
	LimitParam  string `json:"limit_param,omitempty" doc:"The parameter that sends the page size."`
	OffsetParam string `json:"offset_param,omitempty" doc:"The parameter that sends the offset (offset paging)."`
	PageSize    int    `json:"page_size,omitempty" doc:"Items per page."`
	CursorParam string `json:"cursor_param,omitempty" doc:"The parameter that sends the cursor (cursor paging)."`
	CursorPath  string `json:"cursor_path,omitempty" doc:"Dot path of the next cursor in the answer (cursor paging)."`
	NextPath    string `json:"next_path,omitempty" doc:"Dot path of the next page's URL in the answer (link paging)."`
	MaxPages    int    `json:"max_pages,omitempty" doc:"At most this many pages are read." required:"true"`
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
	When        When   `json:"when" doc:"Which answers the rule matches; every condition given must hold." required:"true"`
	Action      string `json:"action" doc:"What to do with a matching answer." enum:"retry,fail,ignore,rate_limited,refresh_token_then_retry" required:"true"`
	WaitHeader  string `json:"wait_header,omitempty" doc:"The header that says how long to wait (rate_limited)."`
	Message     string `json:"message,omitempty" doc:"A fixed explanation for the caller."`
	MessagePath string `json:"message_path,omitempty" doc:"Dot path of the explanation in the answer, instead of message."`
}

// When is the filter of an error rule; every condition given must hold.
type When struct {
	Status   []int  `json:"status,omitempty" doc:"The answer's HTTP status is one of these."`
	Path     string `json:"path,omitempty" doc:"Dot path of a value in the answer."`
	Equals   string `json:"equals,omitempty" doc:"The value at path equals this."`
	Contains string `json:"contains,omitempty" doc:"The answer's body contains this text."`
}

// AccessWindow is a span of UTC hours ("HH:MM", End exclusive, "24:00"
// allowed) in which an environment may be called, on the given days (mon …
// sun; all days when empty). A window whose End is before its Start runs
// past midnight.
type AccessWindow struct {
	Start string   `json:"start" doc:"Start, HH:MM in UTC." required:"true"`
	End   string   `json:"end" doc:"End, HH:MM in UTC (exclusive, 24:00 allowed); before start, the window runs past midnight." required:"true"`
	Days  []string `json:"days,omitempty" doc:"Days the window applies to (mon ... sun); all days when empty."`
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
	Create            string `json:"create,omitempty" doc:"Function that creates the record upstream."`
	Update            string `json:"update,omitempty" doc:"Function that updates the record upstream."`
	Delete            string `json:"delete,omitempty" doc:"Function that deletes the record upstream."`
	Get               string `json:"get,omitempty" doc:"Function that reads one record upstream."`
	ListChanged       string `json:"list_changed,omitempty" doc:"Function that lists records changed upstream since a bookmark."`
	BookmarkParam     string `json:"bookmark_param,omitempty" doc:"The parameter list_changed sends the bookmark as."`
	BookmarkPath      string `json:"bookmark_path,omitempty" doc:"Dot path of the next bookmark in list_changed's answer."`
	IDPath            string `json:"id_path,omitempty" doc:"Dot path of the upstream id in create's answer."`
	IdempotencyHeader string `json:"idempotency_header,omitempty" doc:"A header every sync write carries with the job's id."`
	// Slots names the function that lists the practice system's own free
	// slots (appointments only). Availability sends it from and to (dates
	// in practice time), duration_minutes, provider_ref and operatory_ref
	// by internal name and reads start and end (and provider_ref,
	// operatory_ref when given) from each item it answers; free times are
	// kept only inside those slots.
	Slots string `json:"slots,omitempty" doc:"Function that lists the practice system's own free slots (appointments only); free times are kept only inside them."`
	// Busy names the function that answers the target's busy times
	// (appointments only; Google Calendar's freeBusy): availability sends
	// timeMin and timeMax (RFC 3339) and calendarId (the configuration's
	// default), reads every {start, end} in the answer and leaves those
	// times out.
	Busy string `json:"busy,omitempty" doc:"Function that answers the target's busy times (appointments only; Google Calendar's freeBusy)."`
	// Defaults are parameter values a delivery sends when the record has
	// none; {{name}} in a value is the record's field (summary:
	// "{{patient_name}} · {{appointment_type}}"). A configuration's own
	// defaults win over these.
	Defaults map[string]string `json:"defaults,omitempty" doc:"Parameter values a delivery sends when the record has none; {{name}} is the record's field. A configuration's own defaults win."`
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
