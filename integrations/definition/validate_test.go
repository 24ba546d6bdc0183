package definition

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestValidateAcceptsTheFixtures(t *testing.T) {
	for name, src := range map[string]string{"valid": validYAML, "rich": richYAML} {
		t.Run(name, func(t *testing.T) {
			if err := Validate(mustParseYAML(t, src)); err != nil {
				t.Fatalf("Validate: %v", err)
			}
		})
	}
}

func TestValidateReportsEachMistakeWhereItIs(t *testing.T) {
	cases := []struct {
		name   string
		change func(d *Document)
		want   []Problem
	}{
		{"ErrBadSlug", func(d *Document) { d.Slug = "Open Dental" },
			[]Problem{{"slug", "must be lower-case letters, digits, - or _ (1-64)"}}},
		{"ErrNameRequired", func(d *Document) { d.Name = " " },
			[]Problem{{"name", "is required"}}},
		{"ErrRelativeBaseURL", func(d *Document) { d.BaseURL["production"] = "api.opendental.com/api" },
			[]Problem{{"base_url.production", "must be an absolute http(s) URL"}}},
		{"ErrZoneInBaseURL", func(d *Document) { d.BaseURL["production"] = "http://[::1%25lo]:8080/api" },
			[]Problem{{"base_url.production", "must not name an IPv6 zone (%25…): a zone picks a network interface, not a host"}}},
		{"ErrNumericZoneInSandboxURL", func(d *Document) { d.BaseURL["sandbox"] = "http://[fe80::1%251]/" },
			[]Problem{{"base_url.sandbox", "must not name an IPv6 zone (%25…): a zone picks a network interface, not a host"}}},
		{"ErrZoneInTokenURL", func(d *Document) {
			d.Auth = Auth{Type: AuthOAuth2ClientCredentials, TokenURL: "https://[::1%25eth0]/token"}
			d.CredentialFields = Fields("client_id", "client_secret")
		}, []Problem{{"auth.token_url", "must not name an IPv6 zone (%25…): a zone picks a network interface, not a host"}}},
		{"ErrZoneInAuthURL", func(d *Document) { d.Auth.AuthURL = "https://[::1%25x]/authorize" },
			[]Problem{{"auth.auth_url", "must not name an IPv6 zone (%25…): a zone picks a network interface, not a host"}}},
		{"ErrUnknownEnvironment", func(d *Document) { d.BaseURL["staging"] = "https://x.example" },
			[]Problem{{"base_url.staging", "unknown environment (want production or sandbox)"}}},
		{"ErrAuthType", func(d *Document) { d.Auth.Type = "apikey" },
			[]Problem{{"auth.type", "must be one of none, api_key, bearer, basic, oauth2_client_credentials, oauth2_refresh_token, oauth2_authorization_code, xml_body"}}},
		{"ErrAuthTemplateUnknownName", func(d *Document) { d.Auth.Template = "ODFHIR {{foo}}/{{customer_key}}" },
			[]Problem{{"auth.template", `unknown name "foo"`}}},
		{"ErrAuthTemplateNamesAParameter", func(d *Document) { d.Auth.Template = "{{params.PatNum}}" },
			[]Problem{{"auth.template", `unknown parameter "PatNum"`}}},
		{"ErrAuthTemplateUnterminated", func(d *Document) { d.Auth.Template = "ODFHIR {{developer_key" },
			[]Problem{{"auth.template", `unterminated {{ at "{{developer_key"`}}},
		{"ErrAPIKeyWithoutPlace", func(d *Document) { d.Auth.Header = "" },
			[]Problem{{"auth.header", "api_key needs a header or a query_param"}}},
		{"ErrOAuth2WithoutTokenURL", func(d *Document) {
			d.Auth = Auth{Type: AuthOAuth2ClientCredentials}
			d.CredentialFields = Fields("client_id")
		}, []Problem{
			{"auth.token_url", "oauth2_client_credentials needs a token_url"},
			{"credential_fields", "oauth2_client_credentials needs client_secret"},
		}},
		{"ErrDuplicateCredentialField", func(d *Document) {
			d.CredentialFields = append(d.CredentialFields, CredentialField{Name: "developer_key"})
		},
			[]Problem{{"credential_fields[2]", `duplicate field "developer_key"`}}},
		{"ErrMaxResponseBytesZero", func(d *Document) { d.MaxResponseBytes = new(int64(0)) },
			[]Problem{{"max_response_bytes", "must be at least 1 (a number of bytes)"}}},
		{"ErrEndpointMaxResponseBytesNegative", func(d *Document) { d.Endpoints[0].MaxResponseBytes = new(int64(-5)) },
			[]Problem{{"endpoints[0].max_response_bytes", "must be at least 1 (a number of bytes)"}}},
		{"ErrTimeZoneUnknown", func(d *Document) { d.TimeZone = "Mars/Olympus" },
			[]Problem{{"time_zone", `"Mars/Olympus" is not a known IANA time zone (such as America/Chicago); or "practice" for the practice's own zone`}}},
		{"ErrTimeZoneLocal", func(d *Document) { d.TimeZone = "Local" },
			[]Problem{{"time_zone", `"Local" is not an IANA time zone (such as America/Chicago); or "practice" for the practice's own zone`}}},
		{"ErrTimeoutTooLong", func(d *Document) { d.Timeout = Duration(time.Hour) },
			[]Problem{{"timeout", "must be between 0s (the default) and 10m0s"}}},
		{"ErrRetryAttempts", func(d *Document) { d.Retry.MaxAttempts = 0 },
			[]Problem{{"retry.max_attempts", "must be between 1 and 10"}}},
		{"ErrRetryStatus", func(d *Document) { d.Retry.RetryOn[1] = 5020 },
			[]Problem{{"retry.retry_on[1]", "must be an HTTP status (100-599)"}}},
		{"ErrUnknownTestFunction", func(d *Document) { d.TestFunction = "ListProvider" },
			[]Problem{{"test_function", `unknown function "ListProvider"`}}},
		{"ErrDuplicateFunction", func(d *Document) { d.Endpoints[3].Function = "GetPatient" },
			[]Problem{
				{"endpoints[3].function", `duplicate function "GetPatient"`},
				{"sync.appointment.list_changed", `unknown function "ListAppointments"`},
			}},
		{"ErrMethod", func(d *Document) { d.Endpoints[0].Method = "FETCH" },
			[]Problem{{"endpoints[0].method", "must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS"}}},
		{"ErrParamLocation", func(d *Document) { d.Endpoints[2].Params[0].In = "form" },
			[]Problem{{"endpoints[2].params[0].in", "must be one of path, query, body, header"}}},
		{"ErrUndeclaredPathParam", func(d *Document) { d.Endpoints[1].Params[0].Name = "PatientNum" },
			[]Problem{
				{"endpoints[1].path", "{PatNum} is not a declared path parameter"},
				{"endpoints[1].params[0].name", `path parameter "PatientNum" does not appear in the path "/patients/{PatNum}"`},
			}},
		{"ErrPathParamMissingFromPath", func(d *Document) { d.Endpoints[0].Params = []Param{{Name: "ClinicNum", In: "path"}} },
			[]Problem{{"endpoints[0].params[0].name", `path parameter "ClinicNum" does not appear in the path "/providers"`}}},
		{"ErrUnterminatedPath", func(d *Document) { d.Endpoints[1].Path = "/patients/{PatNum" },
			[]Problem{{"endpoints[1].path", `unterminated { in "/patients/{PatNum"`}}},
		{"ErrDefaultOfWrongType", func(d *Document) { d.Endpoints[2].Params[0].Default = "seven" },
			[]Problem{{"endpoints[2].params[0].default", "must be an integer"}}},
		{"ErrParamType", func(d *Document) { d.Endpoints[2].Params[2].Type = "text" },
			[]Problem{{"endpoints[2].params[2].type", "must be one of string, integer, number, boolean, array, object"}}},
		{"ErrBodyTemplateUnknownParam", func(d *Document) { d.Endpoints[2].BodyTemplate = `{"p": {{PatNum}}, "n": {{Note}}}` },
			[]Problem{{"endpoints[2].body_template", `unknown name "Note"`}}},
		{"ErrPaginationType", func(d *Document) { d.Endpoints[3].Pagination.Type = "page" },
			[]Problem{{"endpoints[3].pagination.type", "must be one of offset, cursor, link"}}},
		{"ErrOffsetPaginationWithoutLimit", func(d *Document) { d.Endpoints[3].Pagination.LimitParam = "" },
			[]Problem{{"endpoints[3].pagination.limit_param", "offset pagination needs limit_param"}}},
		{"ErrUnknownTransform", func(d *Document) { d.ParameterMaps[1].Transform = "trim|uper" },
			[]Problem{{"parameter_maps[1].transform", `transform: unknown transform "uper"`}}},
		{"ErrMapOfUnknownEndpoint", func(d *Document) { d.ParameterMaps[2].Endpoint = "X" },
			[]Problem{{"parameter_maps[2].endpoint", `unknown function "X"`}}},
		{"ErrMapDirection", func(d *Document) { d.ParameterMaps[0].Direction = "out" },
			[]Problem{{"parameter_maps[0].direction", "must be one of request, response, both"}}},
		{"ErrSyncUnknownFunction", func(d *Document) { d.Sync["appointment"].Create = "MakeAppointment" },
			[]Problem{{"sync.appointment.create", `unknown function "MakeAppointment"`}}},
		{"ErrSyncUnknownEntity", func(d *Document) { d.Sync["invoice"] = &SyncEntity{} },
			[]Problem{{"sync.invoice", "unknown entity (want appointment or patient)"}}},
		{"ErrSyncSlotsUnknownFunction", func(d *Document) { d.Sync["appointment"].Slots = "FreeSlots" },
			[]Problem{{"sync.appointment.slots", `unknown function "FreeSlots"`}}},
		{"ErrBookmarkParamNotOfListChanged", func(d *Document) { d.Sync["appointment"].BookmarkParam = "Since" },
			[]Problem{{"sync.appointment.bookmark_param", `"Since" is not a parameter of ListAppointments`}}},
		{"ErrAccessWindowClock", func(d *Document) {
			d.AccessWindows = map[string][]AccessWindow{"production": {{Start: "0:00", End: "11:00", Days: []string{"mon", "fri", "sunday"}}}}
		}, []Problem{
			{"access_windows.production[0].start", "must be HH:MM"},
			{"access_windows.production[0].days[2]", "must be one of mon, tue, wed, thu, fri, sat, sun"},
		}},
		{"ErrErrorRuleAction", func(d *Document) {
			d.ErrorRules = []ErrorRule{{When: When{Status: []int{401}}, Action: "abort"}}
		}, []Problem{{"error_rules[0].action", "must be one of retry, fail, ignore, rate_limited, refresh_token_then_retry"}}},
		{"ErrErrorRuleWithoutCondition", func(d *Document) {
			d.Endpoints[0].ErrorRules = []ErrorRule{{Action: "retry", When: When{Equals: "x"}}}
		}, []Problem{
			{"endpoints[0].error_rules[0].when", "needs status, path or contains"},
			{"endpoints[0].error_rules[0].when.equals", "needs when.path"},
		}},
		{"ErrHeaderName", func(d *Document) { d.Headers = map[string]string{"X Bad": "1"} },
			[]Problem{{"headers.X Bad", "is not a valid header name"}}},
		{"ErrSuccessPath", func(d *Document) { d.Success = &Success{Path: "a..b", Equals: "ok"} },
			[]Problem{{"success.path", `must be a dot path such as "items.0.id"`}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := mustParseYAML(t, validYAML)
			tc.change(d)
			got := problemsOf(t, Validate(d))
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v,\nwant %v", got, tc.want)
			}
		})
	}
}

func TestValidateCollectsEveryProblem(t *testing.T) {
	d := mustParseYAML(t, validYAML)
	d.Slug = ""
	d.Endpoints[0].Method = "FETCH"
	d.ParameterMaps[0].Transform = "uper"
	err := Validate(d)
	got := problemsOf(t, err)
	if len(got) != 3 {
		t.Fatalf("got %d problems, want 3: %v", len(got), got)
	}
	want := `definition: invalid document: slug: must be lower-case letters, digits, - or _ (1-64); endpoints[0].method: must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS; parameter_maps[0].transform: transform: unknown transform "uper"`
	if err.Error() != want {
		t.Errorf("Error():\ngot  %s\nwant %s", err, want)
	}
}

func TestValidateDoesNotChangeTheDocument(t *testing.T) {
	d := mustParseYAML(t, validYAML)
	before, _ := json.Marshal(d)
	_ = Validate(d)
	after, _ := json.Marshal(d)
	if string(before) != string(after) {
		t.Errorf("Validate changed the document:\nbefore %s\nafter  %s", before, after)
	}
}

func TestValidateTemplateScopes(t *testing.T) {
	cases := []struct {
		name, field, template, want string
	}{
		{"AuthMayNotUseFunction", "auth", "{{function}}", "auth.template: {{function}} cannot be used here"},
		{"HeadersMayUseFunction", "headers", "{{function}}", ""},
		{"HeadersMayNotUseParams", "headers", "{{PatNum}}", `headers.X-Test: unknown name "PatNum"`},
		{"EndpointHeadersMayUseItsParams", "endpoint_headers", "{{PatNum}}", ""},
		{"BodyMayUseParamsXML", "body", "<R>{{params_xml}}</R>", ""},
		{"BodyMayUseExplicitCredentials", "body", "{{credentials.developer_key}}", ""},
		{"BodyRefusesUnknownCredential", "body", "{{credentials.secret}}", `endpoints[1].body_template: unknown credential field "secret"`},
		{"BodyMayNotUseOtherEndpointsParams", "body", "{{params.AptDateTime}}", `endpoints[1].body_template: unknown parameter "AptDateTime"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := mustParseYAML(t, validYAML)
			switch tc.field {
			case "auth":
				d.Auth.Template = tc.template
			case "headers":
				d.Headers = map[string]string{"X-Test": tc.template}
			case "endpoint_headers":
				d.Endpoints[1].Headers = map[string]string{"X-Test": tc.template}
			case "body":
				d.Endpoints[1].BodyTemplate = tc.template
			}
			err := Validate(d)
			got := ""
			if err != nil {
				got = joinProblems(problemsOf(t, err))
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// problemsOf returns the problems of a *ValidationError, failing the test
// on any other error or none.
func problemsOf(t *testing.T, err error) []Problem {
	t.Helper()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got error %v, want a *ValidationError", err)
	}
	if !strings.HasPrefix(ve.Error(), "definition: ") {
		t.Errorf("Error() %q lacks the package prefix", ve.Error())
	}
	return ve.Problems
}
