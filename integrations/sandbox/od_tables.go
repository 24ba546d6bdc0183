package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// odTable is one of Open Dental's front-desk tables the sandbox keeps as
// plain rows (commlogs, recalls, procedure logs, insurance, …): listed
// with equality filters on any field, read, created, updated and deleted
// by their key, like the real API's resources of the same names.
type odTable struct {
	key      string   // primary key field, e.g. CommlogNum
	required []string // fields POST must give
	next     int64
	rows     map[int64]map[string]any
}

// odTableDefs are the tables: name (the path), key, required fields on
// POST and seeded rows (their keys 1, 2, …).
var odTableDefs = []struct {
	name, key string
	required  []string
	seed      []map[string]any
}{
	{"commlogs", "CommlogNum", []string{"PatNum"}, []map[string]any{
		{"PatNum": 1, "CommDateTime": "2026-01-05 09:00:00", "CommType": 224, "Note": "Left a voicemail about the recall.", "Mode_": "Phone", "SentOrReceived": "Sent"},
		{"PatNum": 2, "CommDateTime": "2026-01-06 10:30:00", "CommType": 224, "Note": "Confirmed by text.", "Mode_": "Text", "SentOrReceived": "Received"}}},
	{"popups", "PopupNum", []string{"PatNum", "Description"}, []map[string]any{
		{"PatNum": 1, "Description": "Prefers morning appointments.", "PopupLevel": "Patient", "IsDisabled": "false"}}},
	{"recalls", "RecallNum", []string{"PatNum", "RecallTypeNum"}, []map[string]any{
		{"PatNum": 1, "RecallTypeNum": 1, "DateDue": "2026-06-01", "RecallInterval": "6m", "RecallStatus": 0, "Note": "", "IsDisabled": "false"},
		{"PatNum": 2, "RecallTypeNum": 1, "DateDue": "2026-03-15", "RecallInterval": "6m", "RecallStatus": 0, "Note": "", "IsDisabled": "false"}}},
	{"recalltypes", "RecallTypeNum", []string{"Description"}, []map[string]any{
		{"Description": "Prophy", "DefaultInterval": "6m", "TimePattern": "/XXXX/"}, {"Description": "Perio", "DefaultInterval": "3m", "TimePattern": "/XXXXXX/"}}},
	{"procedurelogs", "ProcNum", []string{"PatNum", "ProcDate", "ProcStatus"}, []map[string]any{
		{"PatNum": 1, "AptNum": 1, "ProcDate": "2026-01-05", "ProcStatus": "TP", "CodeNum": 1, "procCode": "D1110", "ProcFee": 95.0, "ProvNum": 1},
		{"PatNum": 2, "AptNum": 0, "ProcDate": "2025-12-01", "ProcStatus": "C", "CodeNum": 2, "procCode": "D0120", "ProcFee": 55.0, "ProvNum": 2}}},
	{"procedurecodes", "CodeNum", []string{"ProcCode", "Descript"}, []map[string]any{
		{"ProcCode": "D1110", "Descript": "Prophylaxis - adult", "AbbrDesc": "Pro", "ProcTime": "/XXXX/"},
		{"ProcCode": "D0120", "Descript": "Periodic oral evaluation", "AbbrDesc": "PerEx", "ProcTime": "/X/"}}},
	{"carriers", "CarrierNum", []string{"CarrierName"}, []map[string]any{
		{"CarrierName": "Delta Dental", "Phone": "800-765-6003", "ElectID": "94276"}, {"CarrierName": "MetLife", "Phone": "800-942-0854", "ElectID": "65978"}}},
	{"insplans", "PlanNum", []string{"CarrierNum"}, []map[string]any{
		{"CarrierNum": 1, "GroupName": "Acme Corp", "GroupNum": "G-100", "PlanType": ""}, {"CarrierNum": 2, "GroupName": "Initech", "GroupNum": "G-200", "PlanType": "p"}}},
	{"inssubs", "InsSubNum", []string{"PlanNum", "Subscriber"}, []map[string]any{
		{"PlanNum": 1, "Subscriber": 1, "SubscriberID": "DD-0001"}, {"PlanNum": 2, "Subscriber": 2, "SubscriberID": "ML-0002"}}},
	{"patplans", "PatPlanNum", []string{"PatNum", "InsSubNum"}, []map[string]any{
		{"PatNum": 1, "InsSubNum": 1, "Ordinal": 1, "Relationship": "Self"}, {"PatNum": 2, "InsSubNum": 2, "Ordinal": 1, "Relationship": "Self"}}},
	{"benefits", "BenefitNum", []string{"PlanNum"}, []map[string]any{
		{"PlanNum": 1, "BenefitType": "Percentage", "CovCatNum": 1, "Percent": 80, "TimePeriod": "CalendarYear"}}},
	{"definitions", "DefNum", []string{"Category", "ItemName"}, []map[string]any{
		{"Category": 2, "ItemName": "Confirmed", "ItemValue": "C"}, {"Category": 2, "ItemName": "Not Called", "ItemValue": ""},
		{"Category": 27, "ItemName": "Appointment reminder", "ItemValue": ""}}},
	{"preferences", "PrefNum", []string{"PrefName"}, []map[string]any{
		{"PrefName": "PracticeTitle", "ValueString": "Sandbox Dental"}, {"PrefName": "RecallDaysPast", "ValueString": "30"}}},
	{"scheduleops", "ScheduleOpNum", []string{"ScheduleNum", "OperatoryNum"}, []map[string]any{
		{"ScheduleNum": 1, "OperatoryNum": 1}, {"ScheduleNum": 2, "OperatoryNum": 2}}},
	{"patfields", "PatFieldNum", []string{"PatNum", "FieldName"}, []map[string]any{
		{"PatNum": 1, "FieldName": "Preferred pharmacy", "FieldValue": "Main St Pharmacy"}}},
	{"allergies", "AllergyNum", []string{"PatNum"}, []map[string]any{
		{"PatNum": 1, "AllergyDefNum": 1, "defDescription": "Penicillin", "Reaction": "Hives", "StatusIsActive": "true"}}},
	{"medicationpats", "MedicationPatNum", []string{"PatNum"}, []map[string]any{
		{"PatNum": 1, "medName": "Lisinopril", "PatNote": "10 mg daily", "DateStart": "2024-02-01"}}},
	{"referrals", "ReferralNum", []string{"LName"}, []map[string]any{
		{"LName": "Park", "FName": "Jin", "Specialty": "Orthodontics", "IsDoctor": "true"}}},
	{"payments", "PayNum", []string{"PatNum", "PayAmt"}, []map[string]any{
		{"PatNum": 1, "PayAmt": 40.0, "PayDate": "2026-01-05", "PayType": 69, "PayNote": "Copay"}}},
	{"adjustments", "AdjNum", []string{"PatNum", "AdjAmt"}, []map[string]any{
		{"PatNum": 2, "AdjAmt": -10.0, "AdjDate": "2025-12-01", "AdjType": 188, "AdjNote": "Courtesy"}}},
	{"statements", "StatementNum", []string{"PatNum"}, []map[string]any{
		{"PatNum": 1, "DateSent": "2026-01-01", "Note": "Monthly statement", "Mode_": "Email"}}},
	{"patientnotes", "PatNum", nil, []map[string]any{
		{"FamFinancial": "", "Medical": "No known conditions.", "Service": "", "Treatment": "", "ICEName": "Sam Lee", "ICEPhone": "503-555-0199"}}},
	{"histappointments", "HistApptNum", nil, []map[string]any{
		{"AptNum": 1, "PatNum": 1, "HistApptAction": "Created", "AptStatus": "Scheduled"}}},
}

// seedTables fills the tables with their seeded rows.
func (st *odState) seedTables(stamp string) {
	st.tables = map[string]*odTable{}
	for _, d := range odTableDefs {
		t := &odTable{key: d.key, required: d.required, rows: map[int64]map[string]any{}}
		for _, r := range d.seed {
			t.next++
			row := map[string]any{d.key: t.next, "DateTStamp": stamp}
			for k, v := range r {
				row[k] = v
			}
			t.rows[t.next] = row
		}
		st.tables[d.name] = t
	}
}

// table finds the table of a request's {table} segment.
func (s *Sandbox) table(w http.ResponseWriter, r *http.Request) (*odTable, bool) {
	t, ok := s.od.tables[r.PathValue("table")]
	if !ok {
		odError(w, http.StatusNotFound, "Resource not found: "+r.Method+" "+r.URL.Path)
	}
	return t, ok
}

// sortedRows is the table's rows by key.
func (t *odTable) sortedRows() []map[string]any {
	keys := make([]int64, 0, len(t.rows))
	for k := range t.rows {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	out := make([]map[string]any, 0, len(keys))
	for _, k := range keys {
		out = append(out, copyRow(t.rows[k]))
	}
	return out
}

func copyRow(r map[string]any) map[string]any {
	out := make(map[string]any, len(r))
	for k, v := range r {
		out[k] = v
	}
	return out
}

// matches reports whether a row has every filter given that names one of
// its fields (Limit, Offset and other parameters are no fields).
func matches(row map[string]any, q map[string][]string) bool {
	for k, vs := range q {
		v, ok := row[k]
		if ok && len(vs) > 0 && vs[0] != "" && fmt.Sprint(v) != vs[0] {
			return false
		}
	}
	return true
}

// odTableList serves GET /{table}.
func (s *Sandbox) odTableList(w http.ResponseWriter, r *http.Request) {
	s.od.mu.Lock()
	defer s.od.mu.Unlock()
	t, ok := s.table(w, r)
	if !ok {
		return
	}
	out := []map[string]any{}
	for _, row := range t.sortedRows() {
		if matches(row, r.URL.Query()) {
			row["serverDateTime"] = serverTime(r)
			out = append(out, row)
		}
	}
	odJSON(w, http.StatusOK, out)
}

// rowOf finds the row of the request's {id}, answering 404 when none.
func (s *Sandbox) rowOf(w http.ResponseWriter, r *http.Request, t *odTable) (int64, map[string]any, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		odError(w, http.StatusBadRequest, t.key+" is invalid.")
		return 0, nil, false
	}
	row, ok := t.rows[id]
	if !ok {
		odError(w, http.StatusNotFound, strings.TrimSuffix(t.key, "Num")+" not found.")
	}
	return id, row, ok
}

// odTableGet serves GET /{table}/{id}.
func (s *Sandbox) odTableGet(w http.ResponseWriter, r *http.Request) {
	s.od.mu.Lock()
	defer s.od.mu.Unlock()
	if t, ok := s.table(w, r); ok {
		if _, row, ok := s.rowOf(w, r, t); ok {
			out := copyRow(row)
			out["serverDateTime"] = serverTime(r)
			odJSON(w, http.StatusOK, out)
		}
	}
}

// bodyFields reads a request body as plain values, field names as sent.
func bodyFields(w http.ResponseWriter, r *http.Request) (map[string]any, bool) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(raw) > maxBody {
		odError(w, http.StatusBadRequest, "Could not read the request body.")
		return nil, false
	}
	out := map[string]any{}
	if len(bytes.TrimSpace(raw)) == 0 {
		return out, true
	}
	if err := json.Unmarshal(raw, &out); err != nil || out == nil {
		odError(w, http.StatusBadRequest, "Request body is not a valid JSON object.")
		return nil, false
	}
	return out, true
}

// odTableCreate serves POST /{table}: 201 with the row, its key assigned.
func (s *Sandbox) odTableCreate(w http.ResponseWriter, r *http.Request) {
	fields, ok := bodyFields(w, r)
	if !ok {
		return
	}
	s.od.mu.Lock()
	defer s.od.mu.Unlock()
	t, ok := s.table(w, r)
	if !ok {
		return
	}
	for _, f := range t.required {
		if v, ok := fields[f]; !ok || v == nil || v == "" {
			odError(w, http.StatusBadRequest, f+" is required.")
			return
		}
	}
	t.next++
	fields[t.key], fields["DateTStamp"] = t.next, s.now().Format(odDateTimeLayout)
	t.rows[t.next] = fields
	out := copyRow(fields)
	out["serverDateTime"] = serverTime(r)
	odJSON(w, http.StatusCreated, out)
}

// odTableUpdate serves PUT /{table}/{id}: fields left out keep their value.
func (s *Sandbox) odTableUpdate(w http.ResponseWriter, r *http.Request) {
	fields, ok := bodyFields(w, r)
	if !ok {
		return
	}
	s.od.mu.Lock()
	defer s.od.mu.Unlock()
	t, ok := s.table(w, r)
	if !ok {
		return
	}
	if _, row, ok := s.rowOf(w, r, t); ok {
		for k, v := range fields {
			if k != t.key {
				row[k] = v
			}
		}
		row["DateTStamp"] = s.now().Format(odDateTimeLayout)
		out := copyRow(row)
		out["serverDateTime"] = serverTime(r)
		odJSON(w, http.StatusOK, out)
	}
}

// odTableDelete serves DELETE /{table}/{id}: 200 with no body.
func (s *Sandbox) odTableDelete(w http.ResponseWriter, r *http.Request) {
	s.od.mu.Lock()
	defer s.od.mu.Unlock()
	if t, ok := s.table(w, r); ok {
		if id, _, ok := s.rowOf(w, r, t); ok {
			delete(t.rows, id)
			w.WriteHeader(http.StatusOK)
		}
	}
}

// odFamilyInsurance serves GET /familymodules/{PatNum}/Insurance: the
// patient's plans with their subscriber, plan and carrier.
func (s *Sandbox) odFamilyInsurance(w http.ResponseWriter, r *http.Request) {
	num, ok := pathNum(r, "PatNum")
	if !ok {
		odError(w, http.StatusBadRequest, "PatNum is invalid.")
		return
	}
	s.od.mu.Lock()
	defer s.od.mu.Unlock()
	if _, found := s.od.patient(num); !found {
		odError(w, http.StatusNotFound, "Patient not found.")
		return
	}
	out := []map[string]any{}
	for _, pp := range s.od.tables["patplans"].sortedRows() {
		if fmt.Sprint(pp["PatNum"]) != strconv.FormatInt(num, 10) {
			continue
		}
		sub := s.od.tables["inssubs"].rows[toInt(pp["InsSubNum"])]
		plan := s.od.tables["insplans"].rows[toInt(sub["PlanNum"])]
		carrier := s.od.tables["carriers"].rows[toInt(plan["CarrierNum"])]
		out = append(out, map[string]any{"PatNum": num, "PatPlanNum": pp["PatPlanNum"], "Ordinal": pp["Ordinal"], "Relationship": pp["Relationship"],
			"InsSubNum": pp["InsSubNum"], "Subscriber": sub["Subscriber"], "SubscriberID": sub["SubscriberID"], "PlanNum": sub["PlanNum"],
			"GroupName": plan["GroupName"], "GroupNum": plan["GroupNum"], "CarrierNum": plan["CarrierNum"], "CarrierName": carrier["CarrierName"],
			"serverDateTime": serverTime(r)})
	}
	odJSON(w, http.StatusOK, out)
}

func toInt(v any) int64 {
	n, _ := strconv.ParseInt(fmt.Sprint(v), 10, 64)
	return n
}

// odASAPAppointments serves GET /appointments/ASAP: the ASAP list.
func (s *Sandbox) odASAPAppointments(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	q.Set("AptStatus", "ASAP")
	r.URL.RawQuery = q.Encode()
	s.odListAppointments(w, r)
}

// odAppointmentNote serves PUT /appointments/{AptNum}/Note: the text is
// appended to the appointment's note.
func (s *Sandbox) odAppointmentNote(w http.ResponseWriter, r *http.Request) {
	s.changeAppointment(w, r, func(a *OpenDentalAppointment, b odBody) (int, string) {
		v, ok, msg := b.str("Note")
		if msg != "" || !ok || v == "" {
			return http.StatusBadRequest, "Note is required."
		}
		if a.Note != "" {
			a.Note += "\r\n"
		}
		a.Note += v
		return http.StatusOK, ""
	})
}
