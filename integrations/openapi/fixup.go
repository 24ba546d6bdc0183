package openapi

import (
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"switchboard/integrations/definition"
)

// probeBaseURL stands in for the base URL while endpoints are checked on
// their own.
const probeBaseURL = "https://import.invalid"

var problemPlace = regexp.MustCompile(`^endpoints\[(\d+)\](?:\.params\[(\d+)\])?`)

// fixup checks the endpoints against the definition rules and drops what
// they refuse, with a warning naming the operation: first the offending
// parameters (a body property named "first name"), then, if problems
// remain, the whole endpoint. What is left always validates.
func (x *extractor) fixup() {
	for round := 0; round < 3 && len(x.endpoints) > 0; round++ {
		problems := endpointProblems(x.endpoints, nil, nil)
		if len(problems) == 0 {
			return
		}
		dropParams := round < 2
		x.drop(problems, dropParams)
	}
}

// drop removes the parameters (when params is set and the problem is in
// one) or else the endpoints that problems name.
func (x *extractor) drop(problems []definition.Problem, params bool) {
	badEndpoint := map[int][]string{}
	badParam := map[int]map[int]string{}
	for _, p := range problems {
		m := problemPlace.FindStringSubmatch(p.Field)
		if m == nil {
			continue
		}
		i, _ := strconv.Atoi(m[1])
		if params && m[2] != "" {
			j, _ := strconv.Atoi(m[2])
			if badParam[i] == nil {
				badParam[i] = map[int]string{}
			}
			badParam[i][j] = p.Message
			continue
		}
		reason := p.Message
		if place := strings.TrimPrefix(strings.TrimPrefix(p.Field, m[0]), "."); place != "" {
			reason = place + ": " + reason
		}
		badEndpoint[i] = append(badEndpoint[i], reason)
	}
	var endpoints []definition.Endpoint
	var pointers []string
	for i, e := range x.endpoints {
		if reasons, bad := badEndpoint[i]; bad {
			x.warn("%s: %s skipped: %s", x.pointers[i], e.Function, strings.Join(reasons, "; "))
			continue
		}
		if bp := badParam[i]; len(bp) > 0 {
			e.Params = x.dropParams(e, bp)
		}
		endpoints = append(endpoints, e)
		pointers = append(pointers, x.pointers[i])
	}
	x.endpoints, x.pointers = endpoints, pointers
}

// dropParams removes the parameters named in bad (index → reason).
func (x *extractor) dropParams(e definition.Endpoint, bad map[int]string) []definition.Param {
	var out []definition.Param
	for j, p := range e.Params {
		if reason, ok := bad[j]; ok {
			x.warn("%s: %s parameter %q skipped: %s", e.Function, p.In, p.Name, reason)
			continue
		}
		out = append(out, p)
	}
	return out
}

// endpointProblems validates endpoints in a stand-in document and returns
// the problems found in them. Problems that depend on the integration the
// endpoints will join (template names of credential fields) are left to
// NewPlan, which checks the real document; creds lists credential fields
// known already.
func endpointProblems(endpoints []definition.Endpoint, creds []string, auth *definition.Auth) []definition.Problem {
	doc := &definition.Document{
		Slug: "import", Name: "import",
		BaseURL:          map[string]string{definition.EnvProduction: probeBaseURL},
		CredentialFields: definition.Fields(creds...),
		Endpoints:        endpoints,
	}
	if auth != nil {
		doc.Auth = *auth
	}
	err := definition.Validate(doc)
	var ve *definition.ValidationError
	if !errors.As(err, &ve) {
		if err != nil {
			return []definition.Problem{{Message: err.Error()}}
		}
		return nil
	}
	return slices.DeleteFunc(ve.Problems, func(p definition.Problem) bool {
		return !strings.HasPrefix(p.Field, "endpoints[") || dependsOnIntegration(p.Message)
	})
}

// dependsOnIntegration reports whether a problem is about a name the
// integration would supply (a credential field named in a template).
func dependsOnIntegration(message string) bool {
	return strings.HasPrefix(message, "unknown name ") || strings.HasPrefix(message, "unknown credential field ")
}
