package registry_test

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"sigs.k8s.io/yaml"

	"switchboard/integrations/registry"
	"switchboard/models"
	"switchboard/testsupport"
)

// largeSpec generates an OpenAPI 3 JSON document of about size bytes,
// shaped like the big public ones (Stripe, GitHub): named schemas with
// described properties, request bodies and responses that refer to them,
// shared parameters, long descriptions.
func largeSpec(size int) []byte {
	var b strings.Builder
	b.Grow(size + 64<<10)
	desc := func(i, n int) string {
		return strings.Repeat(fmt.Sprintf("Text %d-%d of the generated document, as long as a real description. ", i, n), 2)
	}
	b.WriteString(`{"openapi":"3.0.3","info":{"title":"Large","version":"1"},"servers":[{"url":"https://api.example.com/v1"}],`)
	b.WriteString(`"security":[{"bearerAuth":[]}],"components":{"securitySchemes":{"bearerAuth":{"type":"http","scheme":"bearer"}},`)
	b.WriteString(`"parameters":{"Limit":{"name":"limit","in":"query","description":"How many.","schema":{"type":"integer","default":50}}},"schemas":{`)
	const block = 3650 // bytes of one schema and its two operations
	n := max(1, size/block)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"Item%d":{"type":"object","description":%q,"required":["name"],"properties":{`, i, desc(i, 0))
		for p := range 12 {
			fmt.Fprintf(&b, `"field%d":{"type":"string","maxLength":200,"description":%q},`, p, desc(i, p+1))
		}
		b.WriteString(`"name":{"type":"string"},"id":{"type":"integer","readOnly":true}}}`)
	}
	b.WriteString(`}},"paths":{`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		ok := fmt.Sprintf(`"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Item%d"}}}}}`, i)
		fmt.Fprintf(&b, `"/items%d/{itemId}":{"parameters":[{"name":"itemId","in":"path","required":true,"schema":{"type":"integer"}}],`, i)
		fmt.Fprintf(&b, `"get":{"operationId":"getItem%d","tags":["group%d"],"summary":"Get item %d","description":%q,"parameters":[{"$ref":"#/components/parameters/Limit"}],%s},`,
			i, i%20, i, desc(i, 20), ok)
		fmt.Fprintf(&b, `"put":{"operationId":"putItem%d","tags":["group%d"],"description":%q,"requestBody":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Item%d"}}}},%s}}`,
			i, i%20, desc(i, 21), i, ok)
	}
	b.WriteString(`}}`)
	return []byte(b.String())
}

// peak samples the heap while fn runs: the most bytes of heap spans in use
// (live objects, garbage not yet collected and the free room inside those
// spans) above what was in use when it started, after a collection; and
// the growth of the process's resident set (VmHWM, reset first).
func peak(fn func()) (heap, rss int64) {
	debug.FreeOSMemory() // so that the resident set grows with what fn takes
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}
	inUse := func() int64 {
		metrics.Read(samples)
		return int64(samples[0].Value.Uint64() + samples[1].Value.Uint64())
	}
	base, rssBase := inUse(), resetRSSPeak()
	var most atomic.Int64
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			if n := inUse() - base; n > most.Load() {
				most.Store(n)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	fn()
	close(stop)
	<-done
	if rssBase >= 0 {
		rss = rssPeak() - rssBase
	}
	return most.Load(), rss
}

// resetRSSPeak resets the process's resident-set high-water mark (Linux)
// and returns the resident set now, or -1 where that cannot be done.
func resetRSSPeak() int64 {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		return -1
	}
	return procStatus("VmRSS:")
}

// rssPeak is the resident-set high-water mark (Linux).
func rssPeak() int64 { return procStatus("VmHWM:") }

// procStatus reads a size in kB from /proc/self/status, in bytes.
func procStatus(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return -1
}

// BenchmarkImport17MB imports a generated 17 MB OpenAPI document into a
// new integration on SQLite (parse, plan, validate, save), and plans it
// as a dry run, reporting the bytes allocated per import and the peak
// memory above the start, also as a multiple of the document's size
// (the goal is at most 10×). The document is handed over as the API
// handler does: read into a buffer of its own that the import is the
// last to use. Run with
//
//	go test ./integrations/registry -run '^$' -bench Import17MB -benchtime 3x
//
// The YAML case imports a YAML document of about 5 MB (YAML is read up to
// 6 MiB).
func BenchmarkImport17MB(b *testing.B) {
	text := string(largeSpec(17 << 20))
	small, err := yaml.JSONToYAML(largeSpec(4 << 20))
	if err != nil {
		b.Fatal(err)
	}
	store := models.NewStore(testsupport.OpenDB(b, testsupport.SQLiteURL(b)))
	org, err := store.CreateOrganization(context.Background(), "bench", "Bench")
	if err != nil {
		b.Fatal(err)
	}
	reg := registry.New(store)
	for _, tc := range []struct {
		name, doc, file string
		dry             bool
	}{
		{"import", text, "large.json", false},
		{"dry-run", text, "large.json", true},
		{"yaml-dry-run", string(small), "large.yaml", true},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(tc.doc)))
			var heap, rss int64
			n := 0
			for b.Loop() {
				n++
				opt := registry.ImportOptions{Slug: "large" + strconv.Itoa(n), Mode: "merge", DryRun: tc.dry}
				h, r := peak(func() { importOnce(b, reg, org.ID, []byte(tc.doc), tc.file, opt) })
				heap, rss = max(heap, h), max(rss, r)
			}
			b.ReportMetric(float64(len(tc.doc))/(1<<20), "doc-MB")
			b.ReportMetric(float64(heap)/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(heap)/float64(len(tc.doc)), "peak-heap/doc")
			if rss > 0 {
				b.ReportMetric(float64(rss)/(1<<20), "peak-rss-MB")
				b.ReportMetric(float64(rss)/float64(len(tc.doc)), "peak-rss/doc")
			}
		})
	}
}

// importOnce imports doc, which it is handed and the last to use.
func importOnce(b *testing.B, reg *registry.Registry, orgID int64, doc []byte, file string, opt registry.ImportOptions) {
	res, err := reg.Import(context.Background(), orgID, doc, file, opt)
	if err != nil {
		b.Fatal(err)
	}
	if got := len(res.Plan.Added); got < 1000 {
		b.Fatalf("%d endpoints added, want the document's", got)
	}
}
