package handlers

import (
	"encoding/json"

	"github.com/a-h/templ"

	"switchboard/clock"
	"switchboard/integrations/flows"
	"switchboard/models"
	"switchboard/views/pages"
)

// envLabel is an environment's name on the page.
func envLabel(env string) string {
	if env == "sandbox" {
		return "Sandbox"
	}
	return "Production"
}

// flowsPage is the view model of the Flows tab.
func flowsPage(in *models.Integration, rts []flows.Runtime, preview *pages.FlowsPreview, problem string, zone clock.Zone) templ.Component {
	p := pages.FlowsPage{Header: headerOf(in, "flows"), Preview: preview, Problem: problem}
	for _, rt := range rts {
		r := pages.FlowsRuntime{Env: rt.Environment, Label: envLabel(rt.Environment), Loose: rt.Loose, Err: rt.Err}
		for _, f := range rt.Flows {
			r.Flows = append(r.Flows, pages.FlowRow{ID: f.ID, Label: f.Label, Nodes: f.Nodes, Disabled: f.Disabled})
		}
		for _, b := range rt.Backups {
			r.Backups = append(r.Backups, pages.FlowBackupRow{ID: b.ID, When: zone.In(b.CreatedAt).Format(pageTime),
				Actor: b.Actor, Reason: b.Reason, Flows: b.FlowCount, Nodes: b.NodeCount})
		}
		p.Runtimes = append(p.Runtimes, r)
	}
	return pages.Flows(p)
}

// flowsPreview is the view model of a flows file's preview.
func flowsPreview(env string, doc flows.Document, changes []flows.Change) *pages.FlowsPreview {
	b, _ := json.MarshalIndent(doc, "", "  ")
	p := &pages.FlowsPreview{Env: env, Label: envLabel(env), Document: string(b)}
	for _, ch := range changes {
		p.Changes = append(p.Changes, pages.FlowChange{Kind: ch.Kind, Label: ch.Label, Nodes: ch.Nodes})
	}
	return p
}
