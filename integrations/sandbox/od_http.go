package sandbox

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"strings"
)

type serverTimeKey struct{}

// serveOpenDental runs faults, auth and idempotency around the Open Dental
// routes.
func (s *Sandbox) serveOpenDental(w http.ResponseWriter, r *http.Request) {
	s.stats.total(UpstreamOpenDental)
	if s.injectFaults(w, r, UpstreamOpenDental) {
		return
	}
	serverTime := s.now().Format(odDateTimeLayout)
	w.Header().Set("X-Server-DateTime", serverTime)
	if msg := s.odAuthError(r); msg != "" {
		s.stats.unauthorized()
		odError(w, http.StatusUnauthorized, msg)
		return
	}
	r = r.WithContext(context.WithValue(r.Context(), serverTimeKey{}, serverTime))
	if isRead(r.Method) {
		s.odMux.ServeHTTP(w, r)
		return
	}
	s.serveWrite(w, r, UpstreamOpenDental, r.Method+" "+r.URL.Path, s.odMux)
}

// odAuthError checks the ODFHIR header and explains a refusal.
func (s *Sandbox) odAuthError(r *http.Request) string {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	if h == "" {
		return "Authorization header is missing."
	}
	scheme, keys, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "ODFHIR") {
		return "Authorization header must be in the format: ODFHIR DeveloperKey/CustomerKey"
	}
	want := s.cfg.OpenDentalDeveloperKey + "/" + s.cfg.OpenDentalCustomerKey
	if subtle.ConstantTimeCompare([]byte(strings.TrimSpace(keys)), []byte(want)) != 1 {
		return "Invalid DeveloperKey or CustomerKey."
	}
	return ""
}

// serverTime is the request's serverDateTime, fixed once per request.
func serverTime(r *http.Request) string {
	v, _ := r.Context().Value(serverTimeKey{}).(string)
	return v
}

func (s *Sandbox) openDentalRoutes() http.Handler {
	mux := http.NewServeMux()
	handle := func(pattern string, h http.HandlerFunc) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			s.stats.request(UpstreamOpenDental, pattern)
			h(w, r)
		})
	}
	handle("GET /patients", s.odListPatients)
	handle("GET /patients/Simple", s.odListPatients)
	handle("GET /patients/{PatNum}", s.odGetPatient)
	handle("POST /patients", s.odCreatePatient)
	handle("PUT /patients/{PatNum}", s.odUpdatePatient)
	handle("GET /appointments", s.odListAppointments)
	handle("GET /appointments/Slots", s.odSlots)
	handle("GET /appointments/{AptNum}", s.odGetAppointment)
	handle("POST /appointments", s.odCreateAppointment)
	handle("PUT /appointments/{AptNum}", s.odUpdateAppointment)
	handle("PUT /appointments/{AptNum}/Break", s.odBreakAppointment)
	handle("PUT /appointments/{AptNum}/Confirm", s.odConfirmAppointment)
	handle("GET /providers", s.odListProviders)
	handle("GET /providers/{ProvNum}", s.odGetProvider)
	handle("GET /operatories", s.odListOperatories)
	handle("GET /operatories/{OperatoryNum}", s.odGetOperatory)
	handle("GET /schedules", s.odListSchedules)
	handle("GET /appointmenttypes", s.odListAppointmentTypes)
	handle("GET /clinics", s.odListClinics)
	handle("GET /appointments/ASAP", s.odASAPAppointments)
	handle("PUT /appointments/{AptNum}/Note", s.odAppointmentNote)
	handle("GET /familymodules/{PatNum}/Insurance", s.odFamilyInsurance)
	handle("GET /{table}", s.odTableList)
	handle("GET /{table}/{id}", s.odTableGet)
	handle("POST /{table}", s.odTableCreate)
	handle("PUT /{table}/{id}", s.odTableUpdate)
	handle("DELETE /{table}/{id}", s.odTableDelete)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		odError(w, http.StatusNotFound, "Resource not found: "+r.Method+" "+r.URL.Path)
	})
	return mux
}

func odJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// odError answers an error the way Open Dental does: a JSON string.
func odError(w http.ResponseWriter, status int, msg string) {
	odJSON(w, status, msg)
}
