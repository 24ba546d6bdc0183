package executor

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseXMLToTree(t *testing.T) {
	doc := `<?xml version="1.0"?>
<GetDataResponse xmlns="http://schemas.practica.ws/cloud9/partners/">
  <ResponseStatus>Success</ResponseStatus>
  <Records>
    <Record><patGUID>a</patGUID><Name>Ann &amp; Bo</Name></Record>
    <Record><patGUID>b</patGUID><Name attr="x">Cy</Name></Record>
  </Records>
</GetDataResponse>`
	tree, err := ParseXML(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]any{
		"GetDataResponse.ResponseStatus":              "Success",
		"GetDataResponse.Records.Record.0.patGUID":    "a",
		"GetDataResponse.Records.Record.0.Name":       "Ann & Bo",
		"GetDataResponse.Records.Record.1.Name.#text": "Cy",
		"GetDataResponse.Records.Record.1.Name.@attr": "x",
	}
	for path, want := range cases {
		if got, ok := Lookup(tree, path); !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %#v (%v), want %#v", path, got, ok, want)
		}
	}
	if recs, _ := Lookup(tree, "GetDataResponse.Records.Record"); len(recs.([]any)) != 2 {
		t.Errorf("repeated elements are not an array: %#v", recs)
	}
}

func TestLookupLoneElementIsItemZero(t *testing.T) {
	tree, err := ParseXML(strings.NewReader(`<R><Records><Record><id>7</id></Record></Records></R>`))
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := Lookup(tree, "R.Records.Record.0.id"); !ok || got != "7" {
		t.Fatalf("lone record item 0 = %v %v", got, ok)
	}
}

func TestLookupJSON(t *testing.T) {
	tree, err := ParseJSON(strings.NewReader(`{"items":[{"id":1},{"id":2}],"next":null}`))
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := Lookup(tree, "items.1.id"); !ok || got.(interface{ String() string }).String() != "2" {
		t.Fatalf("items.1.id = %v %v", got, ok)
	}
	for _, p := range []string{"items.2.id", "items.x", "nothing", "items.0.id.deeper"} {
		if _, ok := Lookup(tree, p); ok {
			t.Errorf("%s found", p)
		}
	}
}

func TestParseXMLRejectsBadInput(t *testing.T) {
	for _, doc := range []string{"", "<a>", "<a></b>", strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100)} {
		if _, err := ParseXML(strings.NewReader(doc)); err == nil {
			t.Errorf("ParseXML(%.30q) accepted", doc)
		}
	}
}

func FuzzParseXML(f *testing.F) {
	f.Add(`<a><b>1</b><b>2</b></a>`)
	f.Add(`<a x="1">t<c/></a>`)
	f.Fuzz(func(t *testing.T, doc string) {
		tree, err := ParseXML(strings.NewReader(doc))
		if err == nil && len(tree) != 1 {
			t.Fatalf("tree of %q has %d roots", doc, len(tree))
		}
	})
}
