package main

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"

	"switchboard/integrations/definition"
)

// Sizes of the memory benchmark's large answers.
const (
	bigJSONSize = 10_000_000
	bigXMLSize  = 8_400_000
	// memPages is how many pages the paginated function asks for.
	memPages = 20
)

// bigAnswers are the upstream's large bodies, built once.
type bigAnswers struct {
	json, xml []byte
	// perPage is how many records a JSON page holds: the pager goes on
	// while a page is full.
	perPage int
}

// newBigAnswers builds a JSON list of Open Dental-like patients of about
// bigJSONSize bytes and an XML list of about bigXMLSize bytes.
func newBigAnswers() *bigAnswers {
	var j bytes.Buffer
	j.WriteString(`{"items":[`)
	n := 0
	for j.Len() < bigJSONSize-400 {
		if n > 0 {
			j.WriteByte(',')
		}
		j.Write(patientPrefix)
		j.WriteString(strconv.Itoa(n + 1))
		j.Write(patientSuffix)
		n++
	}
	j.WriteString(`]}`)
	var x bytes.Buffer
	x.WriteString(`<?xml version="1.0"?><GetDataResponse><ResponseStatus>Success</ResponseStatus><Records>`)
	for i := 1; x.Len() < bigXMLSize-300; i++ {
		fmt.Fprintf(&x, `<Record><PatNum>%d</PatNum><LName>Benchmark</LName><FName>Ada</FName><Gender>Female</Gender>`+
			`<Birthdate>1985-04-12</Birthdate><City>Localhost</City><Zip>97201</Zip><Email>ada@example.com</Email></Record>`, i)
	}
	x.WriteString(`</Records></GetDataResponse>`)
	return &bigAnswers{json: j.Bytes(), xml: x.Bytes(), perPage: n}
}

// handler serves the large answers: /big.json, /big.xml and /pages (the
// same JSON page whatever the offset, so every page is full).
func (b *bigAnswers) handler() http.Handler {
	mux := http.NewServeMux()
	write := func(w http.ResponseWriter, r *http.Request, ctype string, body []byte) {
		if r.Header.Get("Authorization") != upstreamAuth {
			http.Error(w, `{"error":"bad credentials"}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	}
	mux.HandleFunc("GET /big.json", func(w http.ResponseWriter, r *http.Request) { write(w, r, "application/json", b.json) })
	mux.HandleFunc("GET /big.xml", func(w http.ResponseWriter, r *http.Request) { write(w, r, "application/xml", b.xml) })
	mux.HandleFunc("GET /pages", func(w http.ResponseWriter, r *http.Request) { write(w, r, "application/json", b.json) })
	return mux
}

// memoryDocument is the definition the memory benchmark calls: one large
// JSON answer, one large XML answer, and an offset-paged list of large
// pages.
func memoryDocument(upstream string, perPage int) *definition.Document {
	get := func(function, path string) definition.Endpoint {
		return definition.Endpoint{Function: function, Method: http.MethodGet, Path: path, Extract: "items"}
	}
	xml := get("BigXML", "/big.xml")
	xml.Extract = "GetDataResponse.Records.Record"
	pages := get("BigPages", "/pages")
	pages.Pagination = &definition.Pagination{Type: definition.PageOffset, LimitParam: "limit", OffsetParam: "offset",
		PageSize: perPage, MaxPages: memPages}
	return &definition.Document{
		Slug:    "bench",
		Name:    "Memory benchmark upstream",
		BaseURL: map[string]string{definition.EnvProduction: upstream},
		Auth: definition.Auth{Type: definition.AuthAPIKey, Header: "Authorization",
			Template: "ODFHIR {{developer_key}}/{{customer_key}}"},
		CredentialFields: definition.Fields("developer_key", "customer_key"),
		Timeout:          definition.Duration(60e9),
		Endpoints:        []definition.Endpoint{get("BigJSON", "/big.json"), xml, pages},
	}
}
