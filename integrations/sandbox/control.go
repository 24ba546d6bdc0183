package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// serveControl answers the /_sandbox endpoints. They carry no credentials on
// purpose: the demo UI and browser tests flip faults from a page, and the
// sandbox holds only made-up data.
func (s *Sandbox) serveControl(w http.ResponseWriter, r *http.Request) {
	route := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, ControlPrefix), "/")
	switch {
	case route == "" && isRead(r.Method):
		controlJSON(w, http.StatusOK, map[string]string{
			"opendental_base_path": OpenDentalPrefix,
			"cloud9_path":          Cloud9Path,
			"faults_path":          ControlPrefix + "/faults",
			"stats_path":           ControlPrefix + "/stats",
			"reset_path":           ControlPrefix + "/reset",
			"idempotency_header":   s.cfg.IdempotencyHeader,
		})
	case route == "/faults" && isRead(r.Method):
		controlJSON(w, http.StatusOK, s.Faults())
	case route == "/faults" && (r.Method == http.MethodPut || r.Method == http.MethodPost):
		s.putFaults(w, r)
	case route == "/stats" && isRead(r.Method):
		controlJSON(w, http.StatusOK, s.Stats())
	case route == "/reset" && r.Method == http.MethodPost:
		s.Reset()
		controlJSON(w, http.StatusOK, map[string]bool{"ok": true})
	case route == "" || route == "/faults" || route == "/stats" || route == "/reset":
		controlJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "method not allowed"})
	default:
		controlJSON(w, http.StatusNotFound, map[string]string{"error": "not found"})
	}
}

// putFaults merges the fields present in the body into the switches in
// force, so a page can flip one switch without knowing the others.
func (s *Sandbox) putFaults(w http.ResponseWriter, r *http.Request) {
	f := s.Faults()
	dec := json.NewDecoder(io.LimitReader(r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		controlJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid faults: " + err.Error()})
		return
	}
	if err := f.Validate(); err != nil {
		controlJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	s.SetFaults(f)
	controlJSON(w, http.StatusOK, s.Faults())
}

func isRead(method string) bool { return method == http.MethodGet || method == http.MethodHead }

func controlJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
