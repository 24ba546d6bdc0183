package definition

import (
	"errors"
	"reflect"
	"testing"
)

// cloud9PerEndpoint is a Cloud9 definition written the natural way: no
// integration-wide template; each procedure's endpoint carries its own XML
// body that places the credentials.
const cloud9PerEndpoint = `
slug: cloud9-own-bodies
name: Cloud9 (own bodies)
base_url: {production: https://us-ea1-partner.cloud9ortho.com/GetData.ashx}
auth: {type: xml_body}
credential_fields: [client_id, user_name, password]
request_format: xml
endpoints:
  - function: GetLocations
    method: POST
    body_template: >-
      <GetDataRequest><ClientID>{{client_id}}</ClientID><UserName>{{user_name}}</UserName><Password>{{password}}</Password><Procedure>GetLocations</Procedure></GetDataRequest>
  - function: GetPatient
    method: POST
    params:
      - {name: patGUID, in: body, type: string, required: true}
    body_template: >-
      <GetDataRequest><ClientID>{{credentials.client_id}}</ClientID><UserName>{{credentials.user_name}}</UserName><Password>{{credentials.password}}</Password><Procedure>GetPatient</Procedure><Parameters><patGUID>{{params.patGUID}}</patGUID></Parameters></GetDataRequest>
`

func TestXMLBodyCredentialsMayLiveInEachEndpoint(t *testing.T) {
	if err := Validate(mustParseYAML(t, cloud9PerEndpoint)); err != nil {
		t.Fatalf("a definition whose every endpoint places the credentials is refused: %v", err)
	}
	if _, err := Compile(mustParseYAML(t, cloud9PerEndpoint)); err != nil {
		t.Fatalf("Compile: %v", err)
	}
}

func TestXMLBodyNamesTheEndpointThatDoesNotPlaceTheCredentials(t *testing.T) {
	cases := []struct {
		name   string
		change func(d *Document)
		want   []Problem
	}{
		{"ErrEndpointWithoutBody", func(d *Document) { d.Endpoints[1].BodyTemplate = "" },
			[]Problem{{"endpoints[1].body_template", "GetPatient: xml_body needs a body_template here, or one for the whole integration, that places the credentials"}}},
		{"ErrEndpointBodyMissesAField", func(d *Document) {
			d.Endpoints[0].BodyTemplate = "<R><ClientID>{{client_id}}</ClientID><Password>{{password}}</Password></R>"
		}, []Problem{{"endpoints[0].body_template", "GetLocations: the XML body does not place the credential field(s) user_name"}}},
		{"ErrSharedBodyMissesAField", func(d *Document) {
			d.BodyTemplate = "<R><ClientID>{{client_id}}</ClientID>{{params_xml}}</R>"
			d.Endpoints[1].BodyTemplate = ""
		}, []Problem{{"body_template", "GetPatient: the XML body does not place the credential field(s) user_name, password"}}},
		{"ErrNoEndpointsNoTemplate", func(d *Document) { d.Endpoints = nil },
			[]Problem{{"auth.template", "xml_body needs a template or a body_template that places the credentials"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := mustParseYAML(t, cloud9PerEndpoint)
			tc.change(d)
			var verr *ValidationError
			if err := Validate(d); !errors.As(err, &verr) {
				t.Fatalf("Validate = %v, want a validation error", err)
			}
			if !reflect.DeepEqual(verr.Problems, tc.want) {
				t.Fatalf("problems = %v\nwant       %v", verr.Problems, tc.want)
			}
		})
	}
}

func TestReferenceSectionIsChecked(t *testing.T) {
	d := mustParseYAML(t, cloud9PerEndpoint)
	d.Endpoints[1].Writes = true
	d.Reference = map[string]*ReferenceList{
		"locations":         {Function: "GetLocations", IDPath: "LocationGUID", LabelTemplate: "{{LocationName}}"},
		"chairs":            {Function: "GetLocations", IDPath: "x"},
		"providers":         {Function: "GetDoctors", IDPath: "a..b"},
		"operatories":       {Function: "GetPatient", IDPath: "id", LabelTemplate: "{{open"},
		"appointment_types": nil,
	}
	var verr *ValidationError
	if err := Validate(d); !errors.As(err, &verr) {
		t.Fatalf("Validate = %v", err)
	}
	want := []Problem{
		{"reference.appointment_types", "needs a function and an id_path"},
		{"reference.chairs", "unknown kind (want providers, operatories, locations, appointment_types)"},
		{"reference.operatories.function", "GetPatient writes; reference data is read with a function that does not"},
		{"reference.operatories.label_template", `unterminated {{ at "{{open"`},
		{"reference.providers.function", `no endpoint has the function "GetDoctors"`},
		{"reference.providers.id_path", `must be a dot path such as "items.0.id"`},
	}
	if !reflect.DeepEqual(verr.Problems, want) {
		t.Fatalf("problems =\n%v\nwant\n%v", verr.Problems, want)
	}
}
