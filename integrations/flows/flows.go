// Package flows manages the flows of an organization's Node-RED runtimes
// through their integration (the nodered catalog entry's ListFlows and
// DeployFlows, through the executor): each environment's flows, the
// changes a flows document would make, deploys that first keep a backup
// of what the runtime had (Keep per environment), copies from one
// environment to the other, and restores.
package flows

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/integrations/executor"
	"switchboard/models"
)

// Keep is how many backups are kept per integration and environment.
const Keep = 30

// MaxDocument is the largest flows document taken, in bytes.
const MaxDocument = 5 << 20

// Environments are the runtimes an integration may have.
var Environments = []string{definition.EnvProduction, definition.EnvSandbox}

// Document is a flows document: Node-RED's array of nodes.
type Document []map[string]any

// Service reads and deploys flows.
type Service struct {
	store *models.Store
	exec  *executor.Executor
}

// New returns the service.
func New(store *models.Store, exec *executor.Executor) *Service {
	return &Service{store: store, exec: exec}
}

// Parse reads a flows file: a JSON array of nodes (or Node-RED's v2
// {"flows": […], "rev"}), each an object with a string id and type, ids
// unique. A problem names the node.
func Parse(b []byte) (Document, error) {
	bad := func(format string, args ...any) error {
		return apperr.Validation(apperr.FieldError{Field: "flows", Message: fmt.Sprintf(format, args...)})
	}
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil, bad("is empty: choose a flows file exported from Node-RED (a JSON array of nodes)")
	}
	if len(b) > MaxDocument {
		return nil, bad("is larger than 5 MiB")
	}
	var doc Document
	if b[0] == '{' {
		var v2 struct {
			Flows Document `json:"flows"`
		}
		if err := json.Unmarshal(b, &v2); err != nil || v2.Flows == nil {
			return nil, bad("is not a flows document: an object must carry a \"flows\" array")
		}
		doc = v2.Flows
	} else if err := json.Unmarshal(b, &doc); err != nil {
		return nil, bad("is not a JSON array of nodes: %v", err)
	}
	seen := map[string]bool{}
	for i, n := range doc {
		id, _ := n["id"].(string)
		typ, _ := n["type"].(string)
		if n == nil || id == "" || typ == "" {
			return nil, bad("node %d needs a string id and type", i+1)
		}
		if seen[id] {
			return nil, bad("node id %q appears twice", id)
		}
		seen[id] = true
	}
	return doc, nil
}

// Flow is one flow (tab) of a document.
type Flow struct {
	ID       string
	Label    string
	Disabled bool
	Nodes    int
}

// Flows are the document's flows (tabs) with their node counts, in order,
// and how many nodes belong to none (configuration nodes, subflows).
func (d Document) Flows() (flows []Flow, loose int) {
	idx := map[string]int{}
	for _, n := range d {
		if n["type"] == "tab" {
			id, _ := n["id"].(string)
			label, _ := n["label"].(string)
			disabled, _ := n["disabled"].(bool)
			idx[id] = len(flows)
			flows = append(flows, Flow{ID: id, Label: label, Disabled: disabled})
		}
	}
	for _, n := range d {
		if n["type"] == "tab" {
			continue
		}
		z, _ := n["z"].(string)
		if i, ok := idx[z]; ok {
			flows[i].Nodes++
		} else {
			loose++
		}
	}
	return flows, loose
}

// Change is what a deploy does to one flow.
type Change struct {
	// Kind is "added", "removed", "changed" or "unchanged".
	Kind  string
	ID    string
	Label string
	Nodes int
}

// Diff is what deploying next over current changes, flow by flow (the
// nodes outside any flow counted as one "Other nodes" entry).
func Diff(current, next Document) []Change {
	curFlows, _ := current.Flows()
	nextFlows, _ := next.Flows()
	tabs := map[string]bool{}
	for _, f := range append(slices.Clone(nextFlows), curFlows...) {
		tabs[f.ID] = true
	}
	group := func(d Document) map[string][]string {
		g := map[string][]string{}
		for _, n := range d {
			key, _ := n["z"].(string)
			if n["type"] == "tab" {
				key, _ = n["id"].(string)
			}
			if !tabs[key] {
				key = ""
			}
			b, _ := json.Marshal(n)
			g[key] = append(g[key], string(b))
		}
		for k := range g {
			slices.Sort(g[k])
		}
		return g
	}
	cur, nxt := group(current), group(next)
	label := func(flows []Flow, id string) string {
		for _, f := range flows {
			if f.ID == id {
				return f.Label
			}
		}
		return "Other nodes"
	}
	var out []Change
	for _, key := range keys(nextFlows, curFlows, cur, nxt) {
		c := Change{ID: key, Label: label(append(slices.Clone(nextFlows), curFlows...), key), Nodes: len(nxt[key])}
		a, inCur := cur[key]
		b, inNext := nxt[key]
		switch {
		case !inCur:
			c.Kind = "added"
		case !inNext:
			c.Kind, c.Nodes = "removed", len(a)
		case slices.Equal(a, b):
			c.Kind = "unchanged"
		default:
			c.Kind = "changed"
		}
		out = append(out, c)
	}
	return out
}

// keys are the flow ids of both documents, next's order first, then the
// removed ones, then "" (other nodes) when either has any.
func keys(nextFlows, curFlows []Flow, cur, nxt map[string][]string) []string {
	var out []string
	for _, f := range append(slices.Clone(nextFlows), curFlows...) {
		if !slices.Contains(out, f.ID) {
			out = append(out, f.ID)
		}
	}
	if len(cur[""]) > 0 || len(nxt[""]) > 0 {
		out = append(out, "")
	}
	return out
}
