package openapi

import (
	"fmt"
	"strings"
)

// largeSpec generates an OpenAPI 3 JSON document of about size bytes, shaped
// like the big public ones (Stripe, GitHub): many named schemas with
// described properties, $ref'd request bodies and shared parameters, and
// long descriptions.
func largeSpec(size int) []byte {
	var b strings.Builder
	b.Grow(size + 64<<10)
	desc := strings.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit. ", 3)
	b.WriteString(`{"openapi":"3.0.3","info":{"title":"Large","version":"1","description":"` + desc + `"},`)
	b.WriteString(`"servers":[{"url":"https://api.example.com/v1"}],"security":[{"bearerAuth":[]}],`)
	b.WriteString(`"components":{"securitySchemes":{"bearerAuth":{"type":"http","scheme":"bearer"}},`)
	b.WriteString(`"parameters":{"Limit":{"name":"limit","in":"query","description":"` + desc + `","schema":{"type":"integer","default":50}}},"schemas":{`)
	// Each block is one schema and two operations on it, about 5 KB.
	const block = 4200
	n := max(1, size/block)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"Item%d":{"type":"object","description":"%s","required":["name"],"properties":{`, i, desc)
		for p := range 12 {
			if p > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `"field%d":{"type":"string","maxLength":200,"description":"%s"}`, p, desc)
		}
		b.WriteString(`,"name":{"type":"string"},"id":{"type":"integer","readOnly":true}}}`)
	}
	b.WriteString(`}},"paths":{`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"/items%d/{itemId}":{"parameters":[{"name":"itemId","in":"path","required":true,"schema":{"type":"integer"}}],`, i)
		fmt.Fprintf(&b, `"get":{"operationId":"getItem%d","tags":["group%d"],"summary":"Get item %d","description":"%s","parameters":[{"$ref":"#/components/parameters/Limit"}],"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Item%d"}}}}}},`, i, i%20, i, desc, i)
		fmt.Fprintf(&b, `"put":{"operationId":"putItem%d","tags":["group%d"],"description":"%s","requestBody":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Item%d"}}}},"responses":{"200":{"description":"ok"}}}}`, i, i%20, desc, i)
	}
	b.WriteString(`}}`)
	return []byte(b.String())
}
