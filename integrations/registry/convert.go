package registry

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"switchboard/integrations/definition"
	"switchboard/models"
)

// toRows turns a valid document into the rows that store it. Columns carry
// what lists and filters need; the settings JSON carries the rest, so the
// document round-trips exactly.
func toRows(doc *definition.Document, catalog string) (*models.IntegrationRows, error) {
	head := *doc
	head.Endpoints, head.ParameterMaps, head.Sync = nil, nil, nil
	settings, err := json.Marshal(head)
	if err != nil {
		return nil, fmt.Errorf("registry: encode settings: %w", err)
	}
	authType := doc.Auth.Type
	if authType == "" {
		authType = definition.AuthNone
	}
	format := doc.RequestFormat
	if format == "" {
		format = definition.FormatJSON
	}
	rows := &models.IntegrationRows{Integration: models.Integration{
		Slug: doc.Slug, Name: doc.Name, Description: doc.Description, Catalog: catalog,
		BaseURLProduction: doc.BaseURL[definition.EnvProduction], BaseURLSandbox: doc.BaseURL[definition.EnvSandbox],
		DefaultEnvironment: doc.DefaultEnv(), AuthType: authType, RequestFormat: format, TimeoutMS: time.Duration(doc.Timeout).Milliseconds(),
		TestFunction: doc.TestFunction, Enabled: doc.IsEnabled(), Settings: string(settings),
	}}
	for _, ep := range doc.Endpoints {
		b, err := json.Marshal(ep)
		if err != nil {
			return nil, fmt.Errorf("registry: encode endpoint %s: %w", ep.Function, err)
		}
		rows.Endpoints = append(rows.Endpoints, models.Endpoint{
			Function: ep.Function, Method: ep.Method, Path: ep.Path, Description: ep.Description,
			Writes: ep.Writes, RetrySafe: ep.RetrySafe, Enabled: ep.Enabled == nil || *ep.Enabled, Settings: string(b),
		})
	}
	for _, m := range doc.ParameterMaps {
		dir := m.Direction
		if dir == "" {
			dir = definition.DirectionBoth
		}
		rows.Maps = append(rows.Maps, models.ParameterMap{Internal: m.Internal, External: m.External,
			Transform: m.Transform, Direction: dir, EndpointFunction: m.Endpoint})
	}
	entities := make([]string, 0, len(doc.Sync))
	for e := range doc.Sync {
		entities = append(entities, e)
	}
	sort.Strings(entities)
	for _, e := range entities {
		s := doc.Sync[e]
		if s == nil {
			continue
		}
		rows.Sync = append(rows.Sync, models.SyncMapping{Entity: e, Create: s.Create, Update: s.Update, Delete: s.Delete,
			Get: s.Get, ListChanged: s.ListChanged, BookmarkParam: s.BookmarkParam, BookmarkPath: s.BookmarkPath,
			IDPath: s.IDPath, IdempotencyHeader: s.IdempotencyHeader, Slots: s.Slots})
	}
	return rows, nil
}

// fromRows rebuilds the document from its rows.
func fromRows(rows *models.IntegrationRows) (*definition.Document, error) {
	var doc definition.Document
	if err := json.Unmarshal([]byte(rows.Integration.Settings), &doc); err != nil {
		return nil, fmt.Errorf("registry: decode integration %d: %w", rows.Integration.ID, err)
	}
	fnByID := make(map[int64]string, len(rows.Endpoints))
	for _, e := range rows.Endpoints {
		var ep definition.Endpoint
		if err := json.Unmarshal([]byte(e.Settings), &ep); err != nil {
			return nil, fmt.Errorf("registry: decode endpoint %d: %w", e.ID, err)
		}
		doc.Endpoints = append(doc.Endpoints, ep)
		fnByID[e.ID] = e.Function
	}
	for _, m := range rows.Maps {
		pm := definition.ParameterMap{Internal: m.Internal, External: m.External, Transform: m.Transform, Direction: m.Direction}
		if m.EndpointID != nil {
			pm.Endpoint = fnByID[*m.EndpointID]
		}
		doc.ParameterMaps = append(doc.ParameterMaps, pm)
	}
	if len(rows.Sync) > 0 {
		doc.Sync = map[string]*definition.SyncEntity{}
		for _, s := range rows.Sync {
			doc.Sync[s.Entity] = &definition.SyncEntity{Create: s.Create, Update: s.Update, Delete: s.Delete, Get: s.Get,
				ListChanged: s.ListChanged, BookmarkParam: s.BookmarkParam, BookmarkPath: s.BookmarkPath,
				IDPath: s.IDPath, IdempotencyHeader: s.IdempotencyHeader, Slots: s.Slots}
		}
	}
	return &doc, nil
}
