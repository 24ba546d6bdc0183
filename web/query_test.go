package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
)

type listQuery struct {
	Q        string `query:"q"`
	Strict   bool   `query:"strict"`
	ID       int64  `query:"patient_id" invalid:"must be a number"`
	Untagged string
	PageQuery
}

type otherQuery struct {
	Q string `query:"q"`
}

// bind runs BindQuery on a request with query raw, the route declaring
// declared, and returns what the handler bound.
func bind(t *testing.T, declared any, raw string, into any) error {
	t.Helper()
	e := echo.New()
	var got error
	e.GET("/x", func(c echo.Context) error { got = BindQuery(c, into); return nil }, DeclareQuery(declared))
	e.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/x?"+raw, nil))
	return got
}

func TestBindQuery(t *testing.T) {
	t.Run("every declared parameter is read, embedded ones too", func(t *testing.T) {
		var q listQuery
		if err := bind(t, listQuery{}, "q=ada&strict=true&patient_id=7&cursor=41&limit=10&Untagged=x&other=y", &q); err != nil {
			t.Fatal(err)
		}
		if q.Q != "ada" || !q.Strict || q.ID != 7 || q.Cursor == nil || *q.Cursor != 41 || q.Limit == nil || *q.Limit != 10 || q.Untagged != "" {
			t.Fatalf("bound %+v", q)
		}
	})
	t.Run("absent and empty parameters leave the zero value", func(t *testing.T) {
		var q listQuery
		if err := bind(t, listQuery{}, "q=&strict=yes", &q); err != nil || q.Q != "" || q.Strict || q.Cursor != nil {
			t.Fatalf("bound %+v, %v", q, err)
		}
	})
	t.Run("a number that does not parse names the parameter", func(t *testing.T) {
		for raw, want := range map[string]string{"patient_id=x": "patient_id must be a number", "limit=ten": "limit must be between 1 and 200",
			"cursor=1.5": "cursor is not valid"} {
			var q listQuery
			err := bind(t, listQuery{}, raw, &q)
			e, ok := apperr.As(err)
			if !ok || e.Code != apperr.CodeInvalidRequest || e.Message != want || len(e.Fields) != 1 {
				t.Errorf("%s: %v, want invalid_request %q", raw, err, want)
			}
		}
	})
	t.Run("a handler binding a struct its route does not declare fails", func(t *testing.T) {
		var q otherQuery
		if err := bind(t, listQuery{}, "q=ada", &q); err == nil || !strings.Contains(err.Error(), "declares web.listQuery") || q.Q != "" {
			t.Fatalf("err = %v, bound %+v", err, q)
		}
		if err := bind(t, nil, "q=ada", &q); err == nil || q.Q != "" {
			t.Fatalf("a route declaring no query let a handler bind one: %v", err)
		}
	})
}

func TestQueryValuesIsBindQueryInverted(t *testing.T) {
	cursor := int64(41)
	q := listQuery{Q: "ada lovelace", Strict: true, ID: 7, PageQuery: PageQuery{Cursor: &cursor}}
	v := QueryValues(q)
	if got, want := v.Encode(), "cursor=41&patient_id=7&q=ada+lovelace&strict=true"; got != want {
		t.Fatalf("QueryValues = %s, want %s", got, want)
	}
	var back listQuery
	if err := bind(t, listQuery{}, v.Encode(), &back); err != nil || back.Q != q.Q || back.ID != 7 || *back.Cursor != 41 {
		t.Fatalf("round trip = %+v, %v", back, err)
	}
	if got := QueryValues(&listQuery{}); len(got) != 0 {
		t.Fatalf("the zero query = %v, want none", url.Values(got))
	}
}
