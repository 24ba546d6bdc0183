package executor

import (
	"context"

	"switchboard/apperr"
)

// Check runs the checks of a call without sending anything: the function's
// lookup, its parameter maps and transforms, defaults and validation
// (required parameters, types, enums). It answers the validation error a
// call with these parameters would get, or nil. Reasons that are not about
// the parameters (the integration is disabled, no base URL, outside its
// access window, no credentials) are for the call itself to meet: Check
// does not report them.
func (e *Executor) Check(ctx context.Context, req Request) error {
	if e.reg == nil {
		return nil
	}
	entry, err := e.reg.Lookup(ctx, req.OrgID, req.Provider)
	if err != nil {
		return nil
	}
	c, err := e.locate(entry, req)
	if err != nil {
		return nil
	}
	err = c.prepareParams()
	if e, ok := err.(*apperr.Error); ok && e.Code == apperr.CodeValidationFailed {
		return e
	}
	return nil
}
