package catalog

import (
	"slices"
	"strings"
	"testing"
	"time"

	"switchboard/integrations/definition"
)

// wantEndpoint is the method and path a catalog function must have.
type wantEndpoint struct{ function, method, path string }

func checkEndpoints(t *testing.T, doc *definition.Document, want []wantEndpoint) {
	t.Helper()
	for _, w := range want {
		ep, ok := doc.Endpoint(w.function)
		if !ok {
			t.Errorf("%s: no endpoint %s", doc.Slug, w.function)
			continue
		}
		if got := strings.ToUpper(ep.Method); got != w.method || ep.Path != w.path {
			t.Errorf("%s.%s = %s %q, want %s %q", doc.Slug, w.function, got, ep.Path, w.method, w.path)
		}
	}
}

func TestOpenDental(t *testing.T) {
	e := mustGet(t, "opendental")
	doc := e.Doc
	t.Run("AuthenticatesWithTheODFHIRHeader", func(t *testing.T) {
		a := doc.Auth
		if a.Type != definition.AuthAPIKey || a.Header != "Authorization" || a.Template != "ODFHIR {{developer_key}}/{{customer_key}}" {
			t.Errorf("auth = %+v", a)
		}
		if want := []string{"developer_key", "customer_key"}; !slices.Equal(doc.CredentialNames(), want) {
			t.Errorf("credential_fields = %v, want %v", doc.CredentialFields, want)
		}
		if got := doc.BaseURL[definition.EnvProduction]; got != "https://api.opendental.com/api/v1" {
			t.Errorf("production base URL = %q", got)
		}
	})
	t.Run("RetriesAsSpecified", func(t *testing.T) {
		r := doc.Retry
		if r == nil || r.MaxAttempts != 4 || r.InitialDelay.Std() != 250*time.Millisecond ||
			r.MaxDelay.Std() != 10*time.Second || !slices.Equal(r.RetryOn, []int{429, 502, 503, 504}) {
			t.Errorf("retry = %+v", r)
		}
		if doc.Timeout.Std() != 15*time.Second || doc.RequestFormat != "json" || doc.RateLimit == nil {
			t.Errorf("timeout %s, request_format %q, rate_limit %v", doc.Timeout, doc.RequestFormat, doc.RateLimit)
		}
	})
	t.Run("HasTheRealPaths", func(t *testing.T) {
		checkEndpoints(t, doc, []wantEndpoint{
			{"ListPatients", "GET", "/patients"},
			{"ListPatientsSimple", "GET", "/patients/Simple"},
			{"GetPatient", "GET", "/patients/{PatNum}"},
			{"CreatePatient", "POST", "/patients"},
			{"UpdatePatient", "PUT", "/patients/{PatNum}"},
			{"ListAppointments", "GET", "/appointments"},
			{"GetAppointment", "GET", "/appointments/{AptNum}"},
			{"CreateAppointment", "POST", "/appointments"},
			{"UpdateAppointment", "PUT", "/appointments/{AptNum}"},
			{"BreakAppointment", "PUT", "/appointments/{AptNum}/Break"},
			{"ConfirmAppointment", "PUT", "/appointments/{AptNum}/Confirm"},
			{"GetAppointmentSlots", "GET", "/appointments/Slots"},
			{"ListProviders", "GET", "/providers"},
			{"GetProvider", "GET", "/providers/{ProvNum}"},
			{"ListOperatories", "GET", "/operatories"},
			{"ListAppointmentTypes", "GET", "/appointmenttypes"},
			{"ListClinics", "GET", "/clinics"},
			{"ListSchedules", "GET", "/schedules"},
		})
		if doc.TestFunction != "ListProviders" {
			t.Errorf("test_function = %q", doc.TestFunction)
		}
	})
	t.Run("PagesListsOneHundredAtATime", func(t *testing.T) {
		for _, fn := range []string{"ListPatients", "ListPatientsSimple", "ListAppointments"} {
			ep, _ := doc.Endpoint(fn)
			p := ep.Pagination
			if p == nil || p.Type != definition.PageOffset || p.LimitParam != "Limit" || p.OffsetParam != "Offset" || p.PageSize != 100 {
				t.Errorf("%s pagination = %+v", fn, p)
			}
		}
	})
	t.Run("CreatesReturnTheirIDs", func(t *testing.T) {
		for fn, id := range map[string]string{"CreatePatient": "PatNum", "CreateAppointment": "AptNum"} {
			ep, _ := doc.Endpoint(fn)
			if !ep.Writes || ep.IDPath != id {
				t.Errorf("%s: writes %v, id_path %q; want true, %q", fn, ep.Writes, ep.IDPath, id)
			}
		}
		ep, _ := doc.Endpoint("CreatePatient")
		for _, name := range []string{"LName", "FName"} {
			if p := param(ep, name); p == nil || !p.Required {
				t.Errorf("CreatePatient.%s must be required", name)
			}
		}
	})
	t.Run("MapsTheLocalRecords", func(t *testing.T) {
		c := mustCompile(t, *e)
		for _, tc := range []struct{ function, internal, external string }{
			{"CreatePatient", "first_name", "FName"},
			{"CreatePatient", "phone", "WirelessPhone"},
			{"UpdatePatient", "postal_code", "Zip"},
			{"CreateAppointment", "patient_id", "PatNum"},
			{"CreateAppointment", "start", "AptDateTime"},
			{"CreateAppointment", "duration_minutes", "Pattern"},
			{"UpdateAppointment", "operatory_ref", "Op"},
		} {
			if !mapsTo(c, tc.function, tc.internal, tc.external) {
				t.Errorf("%s does not map %s to %s", tc.function, tc.internal, tc.external)
			}
		}
		if mapsTo(c, "GetPatient", "patient_id", "PatNum") {
			t.Error("patient_id must not map to PatNum on patient functions")
		}
		ep, _ := c.Endpoint("CreateAppointment")
		got := requestValue(t, ep, "duration_minutes", 30)
		if got != "XXXXXX" {
			t.Errorf("duration_minutes 30 became Pattern %v, want XXXXXX", got)
		}
	})
	t.Run("SyncsAppointmentsAndPatients", func(t *testing.T) {
		a, p := doc.Sync[definition.EntityAppointment], doc.Sync[definition.EntityPatient]
		if a == nil || a.Create != "CreateAppointment" || a.Update != "UpdateAppointment" || a.Delete != "BreakAppointment" ||
			a.Get != "GetAppointment" || a.ListChanged != "ListAppointments" || a.BookmarkParam != "DateTStamp" || a.IDPath != "AptNum" {
			t.Errorf("sync.appointment = %+v", a)
		}
		if p == nil || p.Create != "CreatePatient" || p.Update != "UpdatePatient" || p.Get != "GetPatient" ||
			p.BookmarkParam != "DateTStamp" || p.IDPath != "PatNum" || p.ListChanged == "" {
			t.Errorf("sync.patient = %+v", p)
		}
	})
	t.Run("HandlesAuthAndRateLimitErrors", func(t *testing.T) {
		var fails401, limited429 bool
		for _, r := range doc.ErrorRules {
			fails401 = fails401 || (slices.Contains(r.When.Status, 401) && r.Action == definition.ActionFail && r.Message != "")
			limited429 = limited429 || (slices.Contains(r.When.Status, 429) && r.Action == definition.ActionRateLimited && r.WaitHeader == "Retry-After")
		}
		if !fails401 || !limited429 {
			t.Errorf("error_rules = %+v; want 401 fail with a message and 429 rate_limited on Retry-After", doc.ErrorRules)
		}
	})
}

func TestCloud9(t *testing.T) {
	e := mustGet(t, "cloud9")
	doc := e.Doc
	c := mustCompile(t, *e)
	t.Run("HasExactlyTheProcedures", func(t *testing.T) {
		want := []string{
			"GetLocations", "GetPatientList", "GetPortalPatientLookup", "GetPatientInformation",
			"SetPatient", "SetPatientDemographicInfo", "SetAppointment", "SetAppointmentStatusConfirmed", "SetAppointmentStatusCanceled",
			"GetOnlineReservations", "GetAppointmentTypes", "GetChairSchedules", "GetDoctors",
		}
		var got []string
		for _, ep := range doc.Endpoints {
			got = append(got, ep.Function)
			if strings.ToUpper(ep.Method) != "POST" || ep.Path != "" {
				t.Errorf("%s = %s %q, want POST to the base URL", ep.Function, ep.Method, ep.Path)
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("functions = %v, want %v", got, want)
		}
		if doc.TestFunction != "GetLocations" {
			t.Errorf("test_function = %q", doc.TestFunction)
		}
	})
	t.Run("SendsCredentialsInTheXMLBody", func(t *testing.T) {
		if doc.Auth.Type != definition.AuthXMLBody || doc.RequestFormat != definition.FormatXML {
			t.Errorf("auth %q, request_format %q", doc.Auth.Type, doc.RequestFormat)
		}
		if want := []string{"client_id", "username", "password"}; !slices.Equal(doc.CredentialNames(), want) {
			t.Errorf("credential_fields = %v, want %v", doc.CredentialFields, want)
		}
		for _, ep := range c.Order {
			body := ep.Body.String()
			for _, part := range []string{
				`<GetDataRequest xmlns="http://schemas.practica.ws/cloud9/partners/">`,
				"<ClientID>{{client_id}}</ClientID>", "<UserName>{{username}}</UserName>",
				"<Password>{{password}}</Password>", "<Procedure>{{function}}</Procedure>", "{{params_xml}}",
			} {
				if !strings.Contains(body, part) {
					t.Errorf("%s body lacks %s", ep.Endpoint.Function, part)
				}
			}
		}
	})
	t.Run("HasSandboxAndProductionURLs", func(t *testing.T) {
		want := map[string]string{
			definition.EnvProduction: "https://us-ea1-partner.cloud9ortho.com/GetData.ashx",
			definition.EnvSandbox:    "https://us-ea1-partnertest.cloud9ortho.com/GetData.ashx",
		}
		for env, url := range want {
			if doc.BaseURL[env] != url {
				t.Errorf("base_url.%s = %q, want %q", env, doc.BaseURL[env], url)
			}
		}
	})
	t.Run("ChecksResponseStatus", func(t *testing.T) {
		if s := doc.Success; s == nil || s.Path != "GetDataResponse.ResponseStatus" || s.Equals != "Success" {
			t.Errorf("success = %+v", s)
		}
		var messaged bool
		for _, r := range doc.ErrorRules {
			messaged = messaged || r.MessagePath == "GetDataResponse.ErrorMessage"
		}
		if !messaged {
			t.Error("no error rule takes its message from GetDataResponse.ErrorMessage")
		}
	})
	t.Run("OpensProductionFromMidnightTo11UTC", func(t *testing.T) {
		w := doc.AccessWindows[definition.EnvProduction]
		if len(w) != 1 || w[0].Start != "00:00" || w[0].End != "11:00" || len(w[0].Days) != 0 {
			t.Fatalf("access_windows.production = %+v", w)
		}
		day := time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC)
		for _, tc := range []struct {
			at   time.Duration
			open bool
		}{{0, true}, {10*time.Hour + 59*time.Minute, true}, {11 * time.Hour, false}, {23 * time.Hour, false}} {
			if open, _ := c.WindowOpen(definition.EnvProduction, day.Add(tc.at)); open != tc.open {
				t.Errorf("production at %s: open %v, want %v", day.Add(tc.at).Format("15:04"), open, tc.open)
			}
		}
		if open, _ := c.WindowOpen(definition.EnvSandbox, day.Add(23*time.Hour)); !open {
			t.Error("the sandbox must be open all day")
		}
	})
	t.Run("FormatsAppointmentTimesTheCloud9Way", func(t *testing.T) {
		ep, _ := c.Endpoint("SetAppointment")
		got := requestValue(t, ep, "start", "2025-03-04T14:05:00Z")
		if got != "03/04/2025 02:05:00 PM" {
			t.Errorf("start became StartTime %v, want 03/04/2025 02:05:00 PM", got)
		}
		if !strings.Contains(ep.Body.String(), "<VendorUserName>{{username}}</VendorUserName>") {
			t.Error("SetAppointment must send the partner user name as VendorUserName")
		}
	})
	t.Run("SyncsAppointmentsAndPatients", func(t *testing.T) {
		a, p := doc.Sync[definition.EntityAppointment], doc.Sync[definition.EntityPatient]
		if a == nil || a.Create != "SetAppointment" || a.Delete != "SetAppointmentStatusCanceled" || a.IDPath == "" {
			t.Errorf("sync.appointment = %+v", a)
		}
		if p == nil || p.Create != "SetPatient" || p.Get != "GetPatientInformation" || p.IDPath == "" {
			t.Errorf("sync.patient = %+v", p)
		}
	})
}

func TestServiceAPIs(t *testing.T) {
	tests := []struct {
		slug, authType, header, template, base string
		endpoints                              []wantEndpoint
	}{
		{"google-calendar", definition.AuthOAuth2AuthorizationCode, "", "", "https://www.googleapis.com/calendar/v3", []wantEndpoint{
			{"ListCalendars", "GET", "/users/me/calendarList"},
			{"ListEvents", "GET", "/calendars/{calendarId}/events"},
			{"InsertEvent", "POST", "/calendars/{calendarId}/events"},
			{"PatchEvent", "PATCH", "/calendars/{calendarId}/events/{eventId}"},
			{"DeleteEvent", "DELETE", "/calendars/{calendarId}/events/{eventId}"},
		}},
		{"openai", definition.AuthBearer, "", "{{api_key}}", "https://api.openai.com/v1", []wantEndpoint{
			{"ListModels", "GET", "/models"},
			{"CreateChatCompletion", "POST", "/chat/completions"},
			{"CreateResponse", "POST", "/responses"},
		}},
		{"anthropic", definition.AuthAPIKey, "x-api-key", "{{api_key}}", "https://api.anthropic.com/v1", []wantEndpoint{
			{"ListModels", "GET", "/models"},
			{"CreateMessage", "POST", "/messages"},
		}},
		{"twilio", definition.AuthBasic, "", "", "https://api.twilio.com/2010-04-01", []wantEndpoint{
			{"ListAccounts", "GET", "/Accounts.json"},
			{"GetAccount", "GET", "/Accounts/{AccountSid}.json"},
			{"SendSMS", "POST", "/Accounts/{AccountSid}/Messages.json"},
			{"ListMessages", "GET", "/Accounts/{AccountSid}/Messages.json"},
		}},
		{"retell", definition.AuthBearer, "", "{{api_key}}", "https://api.retellai.com", []wantEndpoint{
			{"ListAgents", "GET", "/list-agents"},
			{"CreatePhoneCall", "POST", "/v2/create-phone-call"},
			{"GetCall", "GET", "/v2/get-call/{call_id}"},
			{"ListCalls", "POST", "/v2/list-calls"},
		}},
		{"evolution-api", definition.AuthAPIKey, "apikey", "{{api_key}}", "https://evolution.example.com", []wantEndpoint{
			{"FetchInstances", "GET", "/instance/fetchInstances"},
			{"SendText", "POST", "/message/sendText/{instance}"},
			{"ConnectionState", "GET", "/instance/connectionState/{instance}"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.slug, func(t *testing.T) {
			doc := mustGet(t, tc.slug).Doc
			a := doc.Auth
			if a.Type != tc.authType || a.Header != tc.header || a.Template != tc.template {
				t.Errorf("auth = %+v, want type %q header %q template %q", a, tc.authType, tc.header, tc.template)
			}
			if got := doc.BaseURL[definition.EnvProduction]; got != tc.base {
				t.Errorf("production base URL = %q, want %q", got, tc.base)
			}
			checkEndpoints(t, doc, tc.endpoints)
		})
	}
	t.Run("GoogleCalendarRefreshesTokens", func(t *testing.T) {
		doc := mustGet(t, "google-calendar").Doc
		if doc.Auth.TokenURL != "https://oauth2.googleapis.com/token" || doc.Auth.AuthorizeURL != "https://accounts.google.com/o/oauth2/v2/auth" ||
			doc.Auth.AuthorizeParams["access_type"] != "offline" || !slices.Contains(doc.Auth.Scopes, "https://www.googleapis.com/auth/calendar") {
			t.Errorf("auth = %+v", doc.Auth)
		}
		ep, _ := doc.Endpoint("ListEvents")
		if p := ep.Pagination; p == nil || p.Type != definition.PageCursor || p.CursorParam != "pageToken" || p.CursorPath != "nextPageToken" {
			t.Errorf("ListEvents pagination = %+v", p)
		}
	})
	t.Run("AnthropicSendsItsVersion", func(t *testing.T) {
		if got := mustGet(t, "anthropic").Doc.Headers["anthropic-version"]; got != "2023-06-01" {
			t.Errorf("anthropic-version = %q", got)
		}
	})
	t.Run("TwilioUsesBasicAuthAndForms", func(t *testing.T) {
		doc := mustGet(t, "twilio").Doc
		if doc.Auth.Username != "{{account_sid}}" || doc.Auth.Password != "{{auth_token}}" || doc.RequestFormat != definition.FormatForm {
			t.Errorf("auth = %+v, request_format %q", doc.Auth, doc.RequestFormat)
		}
	})
}

// param returns the endpoint's parameter name, or nil.
func param(ep *definition.Endpoint, name string) *definition.Param {
	for i := range ep.Params {
		if ep.Params[i].Name == name {
			return &ep.Params[i]
		}
	}
	return nil
}

// mapsTo reports whether a function's request maps send internal as
// external.
func mapsTo(c *definition.Compiled, function, internal, external string) bool {
	ep, ok := c.Endpoint(function)
	if !ok {
		return false
	}
	return slices.ContainsFunc(ep.Request, func(m definition.FieldMap) bool {
		return m.Internal == internal && m.External == external
	})
}

// requestValue runs the request map of internal on v.
func requestValue(t *testing.T, ep *definition.CompiledEndpoint, internal string, v any) any {
	t.Helper()
	for _, m := range ep.Request {
		if m.Internal == internal {
			out, err := m.Transform.Apply(v)
			if err != nil {
				t.Fatalf("%s: %s: %v", ep.Endpoint.Function, internal, err)
			}
			return out
		}
	}
	t.Fatalf("%s does not map %s", ep.Endpoint.Function, internal)
	return nil
}

func TestLangfuse(t *testing.T) {
	doc := mustGet(t, "langfuse").Doc
	if a := doc.Auth; a.Type != definition.AuthBasic || a.Username != "{{public_key}}" || a.Password != "{{secret_key}}" {
		t.Errorf("auth = %+v, want basic with the public and secret key", a)
	}
	if want := []string{"public_key", "secret_key"}; !slices.Equal(doc.CredentialNames(), want) {
		t.Errorf("credential_fields = %v, want %v", doc.CredentialNames(), want)
	}
	if doc.BaseURL[definition.EnvProduction] == "" || doc.BaseURL[definition.EnvSandbox] == "" {
		t.Errorf("base_url = %v, want both environments", doc.BaseURL)
	}
	checkEndpoints(t, doc, []wantEndpoint{
		{"ListTraces", "GET", "/api/public/traces"},
		{"GetTrace", "GET", "/api/public/traces/{traceId}"},
		{"ListSessions", "GET", "/api/public/sessions"},
		{"GetSession", "GET", "/api/public/sessions/{sessionId}"},
		{"ListObservations", "GET", "/api/public/observations"},
		{"CreateScore", "POST", "/api/public/scores"},
		{"ListScores", "GET", "/api/public/scores"},
	})
	if doc.TestFunction != "ListTraces" {
		t.Errorf("test_function = %q", doc.TestFunction)
	}
}

func TestNodeRED(t *testing.T) {
	doc := mustGet(t, "nodered").Doc
	if a := doc.Auth; a.Type != definition.AuthBearer || a.Template != "{{token}}" {
		t.Errorf("auth = %+v, want bearer {{token}}", a)
	}
	checkEndpoints(t, doc, []wantEndpoint{
		{"ListFlows", "GET", "/flows"},
		{"GetFlow", "GET", "/flow/{id}"},
		{"AddFlow", "POST", "/flow"},
		{"UpdateFlow", "PUT", "/flow/{id}"},
		{"DeployFlows", "POST", "/flows"},
	})
	ep, _ := doc.Endpoint("DeployFlows")
	if ep.Headers["Node-RED-Deployment-Type"] != "full" || !ep.Writes {
		t.Errorf("DeployFlows headers = %v, writes %v; want a full deploy that writes", ep.Headers, ep.Writes)
	}
	if doc.TestFunction != "ListFlows" {
		t.Errorf("test_function = %q", doc.TestFunction)
	}
}
