package sandbox

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestLangfusePublicAPI(t *testing.T) {
	s := New(Config{})
	get := func(path, user, pass string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", LangfusePrefix+"/api/public"+path, nil)
		r.SetBasicAuth(user, pass)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w
	}
	if w := get("/traces", "pk-lf-sandbox", "wrong"); w.Code != http.StatusUnauthorized {
		t.Fatalf("a wrong secret key = %d", w.Code)
	}
	var page struct {
		Data []LangfuseTrace
		Meta struct{ TotalItems, TotalPages int }
	}
	w := get("/traces?limit=5&page=3&orderBy=timestamp.asc", "pk-lf-sandbox", "sk-lf-sandbox")
	if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil || w.Code != 200 {
		t.Fatalf("list = %d %s", w.Code, w.Body)
	}
	if page.Meta.TotalItems != 12 || page.Meta.TotalPages != 3 || len(page.Data) != 2 || page.Data[1].ID != "trace-012" {
		t.Fatalf("page 3 of 5 = %+v", page)
	}
	from := page.Data[1].Timestamp.Format("2006-01-02T15:04:05Z07:00")
	w = get("/traces?fromTimestamp="+from, "pk-lf-sandbox", "sk-lf-sandbox")
	if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil || page.Meta.TotalItems != 1 {
		t.Fatalf("from the newest (inclusive) = %s", w.Body)
	}
	if w := get("/sessions/call-1001", "pk-lf-sandbox", "sk-lf-sandbox"); w.Code != 200 || strings.Count(w.Body.String(), `"sessionId":"call-1001"`) != 3 {
		t.Fatalf("session = %d %s", w.Code, w.Body)
	}
	r := httptest.NewRequest("POST", LangfusePrefix+"/api/public/scores", strings.NewReader(`{"traceId":"trace-001","name":"booked","value":1}`))
	r.SetBasicAuth("pk-lf-sandbox", "sk-lf-sandbox")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, r)
	if rec.Code != 200 || s.LangfuseScores() != 1 {
		t.Fatalf("create score = %d %s", rec.Code, rec.Body)
	}
}

func TestNodeRedAdminAPI(t *testing.T) {
	s := New(Config{})
	do := func(method, path, body string, h http.Header) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, NodeRedPrefix+path, strings.NewReader(body))
		r.Header = h
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w
	}
	auth := http.Header{"Authorization": {"Bearer sandbox-nodered-token"}}
	if w := do("GET", "/production/flows", "", http.Header{}); w.Code != http.StatusUnauthorized {
		t.Fatalf("no token = %d", w.Code)
	}
	v2 := http.Header{"Authorization": auth["Authorization"], "Node-Red-Api-Version": {"v2"}}
	w := do("GET", "/production/flows", "", v2)
	var doc struct {
		Rev   string
		Flows []map[string]any
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil || doc.Rev != "1" || len(doc.Flows) != 5 {
		t.Fatalf("v2 flows = %s", w.Body)
	}
	if w := do("POST", "/production/flows", `{"rev":"7","flows":[]}`, v2); w.Code != http.StatusConflict {
		t.Fatalf("a stale rev = %d", w.Code)
	}
	if w := do("POST", "/production/flows", `[{"id":"a","type":"tab","label":"A"}]`, auth); w.Code != 200 || len(s.NodeRedFlows("production")) != 1 {
		t.Fatalf("deploy = %d %s", w.Code, w.Body)
	}
	if w := do("POST", "/production/flow", `{"label":"B","nodes":[{"id":"b1","type":"inject"}]}`, auth); w.Code != 200 || len(s.NodeRedFlows("production")) != 3 {
		t.Fatalf("add flow = %d %s", w.Code, w.Body)
	}
	if w := do("PUT", "/production/flow/a", `{"label":"A2","nodes":[]}`, auth); w.Code != 200 {
		t.Fatalf("update flow = %d %s", w.Code, w.Body)
	}
	if w := do("GET", "/production/flow/a", "", auth); !strings.Contains(w.Body.String(), `"label":"A2"`) {
		t.Fatalf("get flow = %s", w.Body)
	}
	if len(s.NodeRedFlows("sandbox")) != 8 {
		t.Fatalf("the sandbox runtime changed with production's")
	}
}
