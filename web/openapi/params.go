package openapi

import (
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"switchboard/integrations/definition"
)

// pathParams describes the path parameters, keyed by the path segment
// before the parameter and its name ("patients/id" is the id in
// /api/patients/{id}): the one place their descriptions live. A path
// parameter missing here fails TestOpenAPIDescribesEverything.
var pathParams = map[string]string{
	"patients/id":                   "The patient's id (Switchboard's), not a practice system's patient number.",
	"appointments/id":               "The appointment's id (Switchboard's), not a practice system's appointment number.",
	"sync-jobs/id":                  "The sync job's id (Switchboard's), as the sync list of a record answers it (job_id).",
	"sync-errors/id":                "The sync job's id (Switchboard's).",
	"api-credentials/id":            "The credential's id (Switchboard's).",
	"endpoints/id":                  "The endpoint's id (Switchboard's).",
	"parameter-maps/id":             "The parameter map's id (Switchboard's).",
	"integrations/id":               "The integration's id (Switchboard's) or its slug.",
	"integration-settings/configId": "The sync configuration's id (Switchboard's).",
	"integrations/provider":         "The integration's slug (GET /api/integrations lists them).",
	"reference/kind":                "The kind of reference data the practice system lists.",
	"calls/id":                      "The call's id in the call log (Switchboard's).",
	"tools/name":                    "The tool's name, as GET /api/tools lists it: a record tool (create_appointment...) or an integration function's tool name.",
}

// pathParamEnums are the fixed values of a path parameter, by the same key.
var pathParamEnums = map[string][]string{
	"reference/kind": definition.ReferenceKinds,
}

// pathParameter is the path parameter name of path, described from
// pathParams.
func pathParameter(path, name string) *openapi3.Parameter {
	key := name
	if segs := strings.Split(path, "/"); len(segs) > 1 {
		for i, s := range segs {
			if s == ":"+name && i > 0 {
				key = segs[i-1] + "/" + name
			}
		}
	}
	s := openapi3.NewStringSchema()
	for _, v := range pathParamEnums[key] {
		s.Enum = append(s.Enum, v)
	}
	return openapi3.NewPathParameter(name).WithSchema(s).WithDescription(pathParams[key])
}
