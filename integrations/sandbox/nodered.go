package sandbox

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
)

// NodeRedPrefix starts the paths of the fake Node-RED runtimes: one per
// environment, at NodeRedPrefix + "/production" and "/sandbox", each with
// the admin API (GET|POST /flows, GET|PUT|DELETE /flow/{id}, POST /flow).
const NodeRedPrefix = "/nodered"

// NodeRedEnvironments are the runtimes the fake serves.
var NodeRedEnvironments = []string{"production", "sandbox"}

// nrState holds each runtime's flows document (an array of nodes: "tab"
// nodes are the flows, the others belong to one by their "z") and its
// revision.
type nrState struct {
	mu   sync.Mutex
	envs map[string]*nrRuntime
}

type nrRuntime struct {
	rev   int
	flows []map[string]any
}

func nrNode(id, typ, z, name string) map[string]any {
	n := map[string]any{"id": id, "type": typ, "name": name}
	if typ == "tab" {
		n = map[string]any{"id": id, "type": "tab", "label": name, "disabled": false, "info": ""}
	} else {
		n["z"] = z
		n["wires"] = []any{}
	}
	return n
}

// seed gives production the booking agent's flow and the reminders, and
// the sandbox a newer booking flow (one more node) and a waitlist flow, so
// that copying the sandbox to production changes something.
func (n *nrState) seed() {
	n.mu.Lock()
	defer n.mu.Unlock()
	prod := []map[string]any{
		nrNode("f-booking", "tab", "", "Booking agent"),
		nrNode("n-in", "http in", "f-booking", "Incoming call"),
		nrNode("n-llm", "function", "f-booking", "Ask the model"),
		nrNode("f-remind", "tab", "", "Reminders"),
		nrNode("n-cron", "inject", "f-remind", "Every morning"),
	}
	sb := []map[string]any{
		nrNode("f-booking", "tab", "", "Booking agent"),
		nrNode("n-in", "http in", "f-booking", "Incoming call"),
		nrNode("n-llm", "function", "f-booking", "Ask the model"),
		nrNode("n-slots", "http request", "f-booking", "Find open slots"),
		nrNode("f-remind", "tab", "", "Reminders"),
		nrNode("n-cron", "inject", "f-remind", "Every morning"),
		nrNode("f-wait", "tab", "", "Waitlist"),
		nrNode("n-wait", "function", "f-wait", "Offer a freed slot"),
	}
	n.envs = map[string]*nrRuntime{"production": {rev: 1, flows: prod}, "sandbox": {rev: 1, flows: sb}}
}

// NodeRedFlows is a copy of the flows document of one runtime (tests).
func (s *Sandbox) NodeRedFlows(env string) []map[string]any {
	s.nr.mu.Lock()
	defer s.nr.mu.Unlock()
	rt := s.nr.envs[env]
	if rt == nil {
		return nil
	}
	return cloneFlows(rt.flows)
}

func cloneFlows(in []map[string]any) []map[string]any {
	b, _ := json.Marshal(in)
	var out []map[string]any
	_ = json.Unmarshal(b, &out)
	return out
}

// serveNodeRed checks the bearer token and routes one runtime's admin API.
func (s *Sandbox) serveNodeRed(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, NodeRedPrefix+"/")
	env, p, _ := strings.Cut(rest, "/")
	s.nr.mu.Lock()
	defer s.nr.mu.Unlock()
	rt := s.nr.envs[env]
	if rt == nil {
		http.NotFound(w, r)
		return
	}
	if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), []byte("Bearer "+s.cfg.NodeRedToken)) != 1 {
		http.Error(w, "Unauthorized", http.StatusUnauthorized)
		return
	}
	p = "/" + p
	switch {
	case p == "/flows" && r.Method == http.MethodGet:
		nrGetFlows(w, r, rt)
	case p == "/flows" && r.Method == http.MethodPost:
		nrPostFlows(w, r, rt)
	case p == "/flow" && r.Method == http.MethodPost:
		nrSaveFlow(w, r, rt, "")
	case strings.HasPrefix(p, "/flow/"):
		nrFlow(w, r, rt, strings.TrimPrefix(p, "/flow/"))
	default:
		http.NotFound(w, r)
	}
}

func nrGetFlows(w http.ResponseWriter, r *http.Request, rt *nrRuntime) {
	if r.Header.Get("Node-RED-API-Version") == "v2" {
		odJSON(w, http.StatusOK, map[string]any{"rev": fmt.Sprint(rt.rev), "flows": rt.flows})
		return
	}
	odJSON(w, http.StatusOK, rt.flows)
}

// nrPostFlows replaces the whole document (deployment types full, nodes
// and flows alike here; reload keeps it), v1 (a bare array) or v2
// ({"flows", "rev"}, refused with 409 when rev is not the current one).
func nrPostFlows(w http.ResponseWriter, r *http.Request, rt *nrRuntime) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 5<<20))
	if err != nil {
		http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
		return
	}
	if r.Header.Get("Node-RED-Deployment-Type") == "reload" {
		odJSON(w, http.StatusOK, map[string]any{"rev": fmt.Sprint(rt.rev)})
		return
	}
	var flows []map[string]any
	if err := json.Unmarshal(b, &flows); err != nil {
		var v2 struct {
			Flows []map[string]any `json:"flows"`
			Rev   string           `json:"rev"`
		}
		if err := json.Unmarshal(b, &v2); err != nil || v2.Flows == nil {
			odJSON(w, http.StatusBadRequest, map[string]string{"code": "invalid_request", "message": "Invalid flows document"})
			return
		}
		if v2.Rev != "" && v2.Rev != fmt.Sprint(rt.rev) {
			odJSON(w, http.StatusConflict, map[string]string{"code": "version_mismatch", "message": "Flows have changed"})
			return
		}
		flows = v2.Flows
	}
	for _, n := range flows {
		if id, _ := n["id"].(string); id == "" {
			odJSON(w, http.StatusBadRequest, map[string]string{"code": "invalid_request", "message": "Every node needs an id"})
			return
		}
	}
	rt.flows, rt.rev = flows, rt.rev+1
	odJSON(w, http.StatusOK, map[string]any{"rev": fmt.Sprint(rt.rev)})
}

// nrFlow serves one flow: its tab with its nodes.
func nrFlow(w http.ResponseWriter, r *http.Request, rt *nrRuntime, id string) {
	idx := -1
	for i, n := range rt.flows {
		if n["id"] == id && n["type"] == "tab" {
			idx = i
		}
	}
	if idx < 0 {
		odJSON(w, http.StatusNotFound, map[string]string{"code": "not_found", "message": "Flow not found"})
		return
	}
	switch r.Method {
	case http.MethodGet:
		tab := rt.flows[idx]
		var nodes []map[string]any
		for _, n := range rt.flows {
			if n["z"] == id {
				nodes = append(nodes, n)
			}
		}
		odJSON(w, http.StatusOK, map[string]any{"id": id, "label": tab["label"], "disabled": tab["disabled"], "info": tab["info"], "nodes": nodes})
	case http.MethodPut:
		nrSaveFlow(w, r, rt, id)
	case http.MethodDelete:
		rt.flows = removeFlow(rt.flows, id)
		rt.rev++
		w.WriteHeader(http.StatusNoContent)
	default:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

// nrSaveFlow adds a flow (id empty: a new id) or replaces one: its tab
// and its nodes.
func nrSaveFlow(w http.ResponseWriter, r *http.Request, rt *nrRuntime, id string) {
	var in struct {
		ID       string           `json:"id"`
		Label    string           `json:"label"`
		Disabled bool             `json:"disabled"`
		Info     string           `json:"info"`
		Nodes    []map[string]any `json:"nodes"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 5<<20)).Decode(&in); err != nil || in.Label == "" {
		odJSON(w, http.StatusBadRequest, map[string]string{"code": "invalid_request", "message": "A flow needs a label"})
		return
	}
	if id == "" {
		id = fmt.Sprintf("f-%d-%d", rt.rev, len(rt.flows))
	}
	flows := append(removeFlow(rt.flows, id), map[string]any{"id": id, "type": "tab", "label": in.Label, "disabled": in.Disabled, "info": in.Info})
	for _, n := range in.Nodes {
		n["z"] = id
		flows = append(flows, n)
	}
	rt.flows, rt.rev = flows, rt.rev+1
	odJSON(w, http.StatusOK, map[string]string{"id": id})
}

// removeFlow is flows without the tab id and its nodes.
func removeFlow(flows []map[string]any, id string) []map[string]any {
	out := make([]map[string]any, 0, len(flows))
	for _, n := range flows {
		if n["id"] != id && n["z"] != id {
			out = append(out, n)
		}
	}
	return out
}
