// Package openapitest makes import documents for tests: it imports
// nothing of the application, so the importer's own tests may use it.
package openapitest

import "strconv"

// OriginalRegistry generates a registry in the original system's shape
// with n functions (GET, POST, PUT and DELETE in turn), path parameters in
// braces, a /api/v1 prefix on every fifth endpoint and the original's
// parameter types.
func OriginalRegistry(n int) []byte {
	var b []byte
	b = append(b, `{"metadata": {"version": "1.0.0", "statistics": {"total_functions": `...)
	b = append(b, []byte(strconv.Itoa(n))...)
	b = append(b, `}}, "defaults": {"ProvNum": 1}, "functions": [`...)
	methods := []string{"GET", "POST", "PUT", "DELETE"}
	types := []string{"number", "string", "boolean", "integer", "array", "object"}
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		prefix := ""
		if i%5 == 0 {
			prefix = "/api/v1"
		}
		s := strconv.Itoa(i)
		b = append(b, `{"function_name": "OdFunction`+s+`", "method": "`+methods[i%4]+`", "endpoint": "`+prefix+`/things`+s+`/{ThingNum}",`+
			` "description": "Function `+s+`.", "parameters": {"ThingNum": {"required": true, "type": "number", "description": "Key."},`+
			` "Field`+s+`": {"required": false, "type": "`+types[i%len(types)]+`", "description": "A field."}},`+
			` "request_example": {"URL": "/things"}, "validation_status": "validated"}`...)
	}
	return append(b, "]}"...)
}
