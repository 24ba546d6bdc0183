package executor

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"switchboard/apperr"
	"switchboard/integrations/definition"
)

// pagedItems answers items [from, to) of total as {"id": n}.
func pagedItems(from, to, total int) []string {
	var items []string
	for i := from; i < min(to, total); i++ {
		items = append(items, fmt.Sprintf(`{"id":%d}`, i))
	}
	return items
}

func TestPagination(t *testing.T) {
	h := newHarness(t)
	const total = 5
	offsetUp := newUpstream(t, func(w http.ResponseWriter, r *http.Request, _ string) {
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		jsonAnswer(200, `{"data":[`+strings.Join(pagedItems(offset, offset+limit, total), ",")+`]}`)(w, r, "")
	})
	cursorUp := newUpstream(t, func(w http.ResponseWriter, r *http.Request, _ string) {
		from, _ := strconv.Atoi(r.URL.Query().Get("after"))
		next := ""
		if from+2 < total {
			next = strconv.Itoa(from + 2)
		}
		jsonAnswer(200, `{"data":[`+strings.Join(pagedItems(from, from+2, total), ",")+`],"meta":{"next":"`+next+`"}}`)(w, r, "")
	})
	var linkURL string
	linkUp := newUpstream(t, func(w http.ResponseWriter, r *http.Request, _ string) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		next := ""
		if (page+1)*2 < total {
			next = fmt.Sprintf("/items?page=%d", page+1)
		}
		if r.URL.Query().Get("style") == "header" && next != "" {
			w.Header().Set("Link", `<`+linkURL+next+`&style=header>; rel="next", <`+linkURL+`/items?page=0>; rel="first"`)
			next = ""
		}
		if r.URL.Query().Get("style") == "escape" {
			next = "http://example.com/items?page=9"
		}
		jsonAnswer(200, `{"items":[`+strings.Join(pagedItems(page*2, page*2+2, total), ",")+`],"next":"`+next+`"}`)(w, r, "")
	})
	linkURL = linkUp.URL
	tests := []struct {
		name     string
		base     string
		pg       definition.Pagination
		extract  string
		params   map[string]any
		declared []definition.Param
		ids      string
		pages    int
		code     string
	}{
		{name: "offset pages until a short page", base: offsetUp.URL, extract: "data",
			pg:  definition.Pagination{Type: "offset", LimitParam: "limit", OffsetParam: "offset", PageSize: 2},
			ids: "0,1,2,3,4", pages: 3},
		{name: "offset stops at the page cap", base: offsetUp.URL, extract: "data",
			pg:  definition.Pagination{Type: "offset", LimitParam: "limit", OffsetParam: "offset", PageSize: 2, MaxPages: 2},
			ids: "0,1,2,3", pages: 2},
		{name: "offset with the caller's own offset reads one page", base: offsetUp.URL, extract: "data",
			pg:       definition.Pagination{Type: "offset", LimitParam: "limit", OffsetParam: "offset", PageSize: 2},
			declared: []definition.Param{{Name: "limit", Type: "integer"}, {Name: "offset", Type: "integer"}},
			params:   map[string]any{"limit": 2, "offset": 2}, ids: "2,3", pages: 1},
		{name: "offset with a defaulted limit still pages", base: offsetUp.URL, extract: "data",
			pg:       definition.Pagination{Type: "offset", LimitParam: "limit", OffsetParam: "offset", PageSize: 2},
			declared: []definition.Param{{Name: "limit", Type: "integer", Default: json.Number("50")}},
			ids:      "0,1,2,3,4", pages: 3},
		{name: "cursor follows cursor_path", base: cursorUp.URL, extract: "data",
			pg:  definition.Pagination{Type: "cursor", CursorParam: "after", CursorPath: "meta.next"},
			ids: "0,1,2,3,4", pages: 3},
		{name: "cursor stops at the page cap", base: cursorUp.URL, extract: "data",
			pg:  definition.Pagination{Type: "cursor", CursorParam: "after", CursorPath: "meta.next", MaxPages: 1},
			ids: "0,1", pages: 1},
		{name: "link follows next_path in the body", base: linkUp.URL, extract: "items",
			pg:  definition.Pagination{Type: "link", NextPath: "next"},
			ids: "0,1,2,3,4", pages: 3},
		{name: "link follows the Link header", base: linkUp.URL, extract: "items",
			pg:       definition.Pagination{Type: "link"},
			declared: []definition.Param{{Name: "style"}}, params: map[string]any{"style": "header"},
			ids: "0,1,2,3,4", pages: 3},
		{name: "link refuses to leave the host", base: linkUp.URL, extract: "items",
			pg:       definition.Pagination{Type: "link", NextPath: "next"},
			declared: []definition.Param{{Name: "style"}}, params: map[string]any{"style": "escape"},
			code: apperr.CodeUpstreamError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pg := tt.pg
			ep := get("List", "/items", tt.declared...)
			ep.Pagination, ep.Extract = &pg, tt.extract
			slug := h.add(newDoc(tt.base, ep))
			res, err := h.run(slug, "List", tt.params)
			if tt.code != "" {
				wantCode(t, err, tt.code)
				return
			}
			ok(t)(res, err)
			items, isList := res.Data.([]any)
			if !isList {
				t.Fatalf("data = %#v, want a list", res.Data)
			}
			var ids []string
			for _, it := range items {
				ids = append(ids, valueText(it.(map[string]any)["id"]))
			}
			if got := strings.Join(ids, ","); got != tt.ids || res.Pages != tt.pages || res.Attempts != tt.pages {
				t.Errorf("ids %s over %d pages (%d attempts), want %s over %d", got, res.Pages, res.Attempts, tt.ids, tt.pages)
			}
		})
	}
}

func TestResponseMapsRenameEveryItem(t *testing.T) {
	h := newHarness(t)
	up := newUpstream(t, jsonAnswer(200, `{"rows":[{"PatNum":1,"LName":"Smith","AptStatus":"Broken","Phone":"(503) 555-0101"},{"PatNum":2,"LName":"Kim","AptStatus":"Odd"}]}`))
	ep := get("List", "/patients")
	ep.Extract = "rows"
	doc := newDoc(up.URL, ep)
	doc.ParameterMaps = []definition.ParameterMap{
		{Internal: "id", External: "PatNum", Direction: "response"},
		{Internal: "last_name", External: "LName"},
		{Internal: "status", External: "AptStatus", Transform: "map:Broken=cancelled,Scheduled=scheduled", Direction: "response"},
		{Internal: "phone", External: "Phone", Transform: "e164"},
	}
	slug := h.add(doc)
	res := ok(t)(h.run(slug, "List", nil))
	items := res.Data.([]any)
	first, second := items[0].(map[string]any), items[1].(map[string]any)
	if valueText(first["id"]) != "1" || first["last_name"] != "Smith" || first["status"] != "cancelled" || first["phone"] != "+15035550101" {
		t.Errorf("first item = %v", first)
	}
	if _, kept := first["LName"]; kept {
		t.Errorf("external name kept beside the internal one: %v", first)
	}
	if second["status"] != "Odd" {
		t.Errorf("an unmapped value changed: %v", second)
	}
	if raw, _ := Lookup(res.Raw, "rows.0.LName"); raw != "Smith" {
		t.Errorf("Raw lost the upstream names: %v", res.Raw)
	}
}
