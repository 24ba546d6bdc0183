package definition

import "testing"

// richYAML uses every field of the document.
const richYAML = `
slug: cloud9-test
name: Cloud9 Ortho (test)
description: A document that uses every field.
category: Practice management
base_url:
  production: https://us-ea1-partner.cloud9ortho.com/GetData.ashx
  sandbox: https://us-ea1-partnertest.cloud9ortho.com/GetData.ashx
auth:
  type: xml_body
  header: X-Client
  query_param: client
  template: "<Auth>{{credentials.client_id}}</Auth>"
  username: "{{username}}"
  password: "{{password}}"
  token_url: https://auth.example.com/token
  auth_url: https://auth.example.com/authorize
  scopes: [read, write]
credential_fields: [client_id, username, password]
request_format: xml
body_template: |-
  <GetDataRequest xmlns="http://schemas.practica.ws/cloud9/partners/">
    <ClientID>{{client_id}}</ClientID>
    <UserName>{{username}}</UserName>
    <Password>{{password}}</Password>
    <Procedure>{{function}}</Procedure>
    <Parameters>{{params_xml}}</Parameters>
  </GetDataRequest>
headers:
  Content-Type: application/xml
  X-Trace: "{{function}}"
timeout: 1m30s
retry: {max_attempts: 3, initial_delay: 250ms, max_delay: 10s, retry_on: [429, 503]}
rate_limit: {per_second: 2.5, burst: 5}
success: {path: GetDataResponse.ResponseStatus, equals: Success}
extract: GetDataResponse.Records.Record
test_function: GetLocations
enabled: false
error_rules:
  - when: {status: [200], path: GetDataResponse.ErrorCode, equals: "1", contains: Error}
    action: fail
    message: Cloud9 refused the credentials.
    message_path: GetDataResponse.ErrorMessage
  - when: {status: [429]}
    action: rate_limited
    wait_header: Retry-After
access_windows:
  production:
    - {start: "00:00", end: "11:00", days: [mon, tue, wed, thu, fri]}
    - {start: "22:00", end: "02:00"}
endpoints:
  - function: GetLocations
    method: POST
    path: ""
    description: List locations.
    tags: [setup]
    enabled: true
  - function: GetPatientList
    method: POST
    path: /patients/{LocationGUID}
    tags: [patients, search]
    params:
      - {name: LocationGUID, in: path, type: string, required: true}
      - {name: LastName, in: body, type: string, description: "Last name, starts with."}
      - {name: Limit, in: query, type: integer, default: 100, enum: [50, 100]}
      - {name: Active, in: query, type: boolean, default: false}
      - {name: Ratio, in: query, type: number, default: 0.5}
      - {name: Tags, in: body, type: array, default: [a, b]}
      - {name: Extra, in: body, type: object, default: {k: v}}
      - {name: X-Request-Id, in: header, type: string}
    body_template: "<Q><C>{{client_id}}</C><U>{{username}}</U><P>{{password}}</P>{{params.LastName}}</Q>"
    headers: {X-Location: "{{LocationGUID}}"}
    extract: GetDataResponse.Records.Record
    id_path: PatientGUID
    writes: false
    retry_safe: true
    enabled: false
    pagination: {type: offset, limit_param: Limit, offset_param: Offset, page_size: 50, max_pages: 4}
    error_rules:
      - when: {contains: "no records"}
        action: ignore
  - function: SetPatient
    method: POST
    path: ""
    writes: true
    id_path: PatientGUID
    params:
      - {name: patientFirstName, in: body, type: string, required: true}
      - {name: phoneNumber, in: body, type: string}
    pagination: {type: cursor, cursor_param: after, cursor_path: meta.next, max_pages: 2}
  - function: ListChanged
    method: GET
    path: /changes
    params:
      - {name: since, in: query, type: string}
    pagination: {type: link, next_path: links.next}
parameter_maps:
  - {internal: first_name, external: patientFirstName, endpoint: SetPatient, direction: request}
  - {internal: phone, external: phoneNumber, transform: clean_phone|e164, direction: both}
  - {internal: start, external: StartTime, transform: "format_date:01/02/2006 03:04:05 PM", direction: response}
sync:
  patient:
    create: SetPatient
    update: SetPatient
    delete: SetPatient
    get: GetPatientList
    list_changed: ListChanged
    bookmark_param: since
    bookmark_path: meta.server_time
    id_path: PatientGUID
    idempotency_header: Idempotency-Key
`

// mustParseYAML parses a YAML document or fails the test.
func mustParseYAML(t testing.TB, src string) *Document {
	t.Helper()
	d, err := ParseYAML([]byte(src))
	if err != nil {
		t.Fatalf("ParseYAML: %v", err)
	}
	return d
}

// validYAML is a small valid document that tests change one thing of.
const validYAML = `
slug: opendental
name: Open Dental
base_url: {production: "https://api.opendental.com/api/v1"}
auth: {type: api_key, header: Authorization, template: "ODFHIR {{developer_key}}/{{customer_key}}"}
credential_fields: [developer_key, customer_key]
timeout: 15s
retry: {max_attempts: 4, initial_delay: 250ms, max_delay: 10s, retry_on: [429, 502, 503, 504]}
test_function: ListProviders
endpoints:
  - function: ListProviders
    method: GET
    path: /providers
  - function: GetPatient
    method: get
    path: /patients/{PatNum}
    params: [{name: PatNum, in: path, type: integer, required: true}]
  - function: CreateAppointment
    method: POST
    path: /appointments
    writes: true
    id_path: AptNum
    params:
      - {name: PatNum, type: integer, required: true}
      - {name: AptDateTime, type: string, required: true}
      - {name: Pattern, type: string}
  - function: ListAppointments
    method: GET
    path: /appointments
    params: [{name: DateTStamp, type: string}]
    pagination: {type: offset, limit_param: Limit, offset_param: Offset, page_size: 100}
parameter_maps:
  - {internal: patient_id, external: PatNum}
  - {internal: start, external: AptDateTime, transform: "format_date:2006-01-02 15:04:05"}
  - {internal: duration_minutes, external: Pattern, transform: "repeat:X:5", endpoint: CreateAppointment, direction: request}
sync:
  appointment: {create: CreateAppointment, list_changed: ListAppointments, bookmark_param: DateTStamp, bookmark_path: 0.serverDateTime}
`
