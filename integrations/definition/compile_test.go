package definition

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

// mustCompile compiles a YAML document or fails the test.
func mustCompile(t *testing.T, src string, change func(d *Document)) *Compiled {
	t.Helper()
	d := mustParseYAML(t, src)
	if change != nil {
		change(d)
	}
	c, err := Compile(d)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return c
}

// mapNames lists "internal>external:transform" for each map.
func mapNames(maps []FieldMap) []string {
	var out []string
	for _, m := range maps {
		out = append(out, m.Internal+">"+m.External+":"+m.Transform.String())
	}
	return out
}

func TestCompileResolvesMapsPerEndpoint(t *testing.T) {
	c := mustCompile(t, validYAML, func(d *Document) {
		d.ParameterMaps = append(d.ParameterMaps, ParameterMap{Internal: "patient_id", External: "PatNum", Transform: "to_int", Endpoint: "CreateAppointment"})
	})
	create, ok := c.Endpoint("CreateAppointment")
	if !ok {
		t.Fatal("CreateAppointment not compiled")
	}
	wantRequest := []string{
		"duration_minutes>Pattern:repeat:X:5",
		"patient_id>PatNum:to_int",
		"start>AptDateTime:format_date:2006-01-02 15:04:05",
	}
	if got := mapNames(create.Request); !reflect.DeepEqual(got, wantRequest) {
		t.Errorf("request maps: got %v, want %v", got, wantRequest)
	}
	wantResponse := []string{"patient_id>PatNum:to_int", "start>AptDateTime:format_date:2006-01-02 15:04:05"}
	if got := mapNames(create.Response); !reflect.DeepEqual(got, wantResponse) {
		t.Errorf("response maps: got %v, want %v", got, wantResponse)
	}
	get := c.Endpoints["GetPatient"]
	if got, want := mapNames(get.Request), []string{"patient_id>PatNum:", "start>AptDateTime:format_date:2006-01-02 15:04:05"}; !reflect.DeepEqual(got, want) {
		t.Errorf("GetPatient request maps: got %v, want %v", got, want)
	}
	v, err := create.Request[0].Transform.Apply(30.0)
	if err != nil || v != "XXXXXX" {
		t.Errorf("compiled transform: got %v, %v", v, err)
	}
}

func TestCompileResolvesTemplates(t *testing.T) {
	c := mustCompile(t, richYAML, nil)
	wantAuth := []Ref{{RefCredential, "username"}}
	if got := c.Auth.Username.Refs(); !reflect.DeepEqual(got, wantAuth) {
		t.Errorf("auth username refs: got %v, want %v", got, wantAuth)
	}
	loc := c.Endpoints["GetPatientList"]
	if got, want := loc.Body.String(), "<Q><C>{{client_id}}</C><U>{{username}}</U><P>{{password}}</P>{{params.LastName}}</Q>"; got != want {
		t.Errorf("own body template: got %q, want %q", got, want)
	}
	wantHeader := []Ref{{RefParam, "LocationGUID"}}
	if got := loc.Headers["X-Location"].Refs(); !reflect.DeepEqual(got, wantHeader) {
		t.Errorf("endpoint header refs: got %v, want %v", got, wantHeader)
	}
	if _, ok := loc.Headers["Content-Type"]; !ok {
		t.Errorf("document headers not inherited: %v", loc.Headers)
	}
	set := c.Endpoints["SetPatient"]
	wantBody := []Ref{
		{RefCredential, "client_id"}, {RefCredential, "username"}, {RefCredential, "password"},
		{Kind: RefFunction}, {Kind: RefParamsXML},
	}
	if got := set.Body.Refs(); !reflect.DeepEqual(got, wantBody) {
		t.Errorf("document body refs: got %v, want %v", got, wantBody)
	}
	if got, want := len(loc.ErrorRules), 3; got != want {
		t.Errorf("error rules: got %d, want %d (the endpoint's, then the document's)", got, want)
	} else if loc.ErrorRules[0].Action != ActionIgnore {
		t.Errorf("first error rule: got %q, want the endpoint's own", loc.ErrorRules[0].Action)
	}
	if got, want := loc.Path.Params(), []string{"LocationGUID"}; !reflect.DeepEqual(got, want) {
		t.Errorf("path params: got %v, want %v", got, want)
	}
	if len(c.Order) != 4 || c.Order[0].Endpoint.Function != "GetLocations" {
		t.Errorf("Order: got %d endpoints starting with %q", len(c.Order), c.Order[0].Endpoint.Function)
	}
}

func TestParamsXML(t *testing.T) {
	c := mustCompile(t, richYAML, nil)
	set := c.Endpoints["SetPatient"]
	got := set.ParamsXML(map[string]string{"phoneNumber": "555 & co", "patientFirstName": "<Ann>", "unknown": "x"})
	want := "<patientFirstName>&lt;Ann&gt;</patientFirstName><phoneNumber>555 &amp; co</phoneNumber>"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestCompileRefusesInvalidDocuments(t *testing.T) {
	d := mustParseYAML(t, validYAML)
	d.ParameterMaps[0].Transform = "uper"
	_, err := Compile(d)
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].Field != "parameter_maps[0].transform" {
		t.Fatalf("got %v, want one problem at parameter_maps[0].transform", err)
	}
	if d.Endpoints[1].Method != "get" {
		t.Error("Compile changed the caller's document")
	}
}

func TestWindowOpen(t *testing.T) {
	c := mustCompile(t, richYAML, nil)
	at := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	// 2026-03-02 is a Monday.
	cases := []struct {
		name, env, now string
		open           bool
		next           string
	}{
		{"InsideWeekdayWindow", "production", "2026-03-02T10:59:00Z", true, ""},
		{"AfterWeekdayWindow", "production", "2026-03-02T11:00:00Z", false, "2026-03-02T22:00:00Z"},
		{"OvernightWindowAfterMidnight", "production", "2026-03-03T01:30:00Z", true, ""},
		{"OvernightWindowEnds", "production", "2026-03-07T02:00:00Z", false, "2026-03-07T22:00:00Z"},
		{"OtherZoneIsConverted", "production", "2026-03-02T05:30:00-05:00", true, ""},
		{"NoWindowsMeansOpen", "sandbox", "2026-03-02T15:00:00Z", true, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			open, next := c.WindowOpen(tc.env, at(tc.now))
			if open != tc.open {
				t.Fatalf("open: got %v, want %v", open, tc.open)
			}
			if !open && !next.Equal(at(tc.next)) {
				t.Errorf("next: got %v, want %v", next, tc.next)
			}
		})
	}
}

func TestCompileTimeZone(t *testing.T) {
	chicago, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, zone string
		want       string
	}{
		{"empty means the practice's zone", "", "America/Chicago"},
		{"practice means the practice's zone", "practice", "America/Chicago"},
		{"UTC is UTC", "UTC", "UTC"},
		{"an IANA name is that zone", "Europe/Berlin", "Europe/Berlin"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := mustCompile(t, validYAML, func(d *Document) { d.TimeZone = tc.zone })
			if got := c.ZoneFor(chicago).String(); got != tc.want {
				t.Errorf("ZoneFor(Chicago) with time_zone %q: got %s, want %s", tc.zone, got, tc.want)
			}
		})
	}
	c := mustCompile(t, validYAML, nil)
	if got := c.ZoneFor(nil); got != time.UTC {
		t.Errorf("ZoneFor(nil) with the practice's zone: got %v, want UTC", got)
	}
}
