package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchboard/api"
	"switchboard/apperr"
	"switchboard/integrations/syncer"
	"switchboard/models"
	"switchboard/records/booking"
	"switchboard/web"
	"switchboard/web/idempotency"
	"switchboard/web/session"
)

// BookingHandler serves the original system's agent surface over the
// local records.
type BookingHandler struct {
	svc *booking.Service
}

// NewBookingHandler returns a BookingHandler over svc.
func NewBookingHandler(svc *booking.Service) *BookingHandler {
	return &BookingHandler{svc: svc}
}

// Call handles POST /api/booking.
func (h *BookingHandler) Call(c echo.Context) error {
	var req api.BookingRequest
	if err := web.DecodeJSON(c, &req); err != nil {
		return err
	}
	if req.Function == "" {
		return web.FieldError(apperr.CodeInvalidRequest, "functionName", "is required: one of the booking functions (GET /api/booking/functions)")
	}
	p := session.From(c)
	if writes(req.Function) && p.IsKey() && !p.APIKey.HasScope(models.ScopeRecordsWrite) {
		return session.MissingScope(models.ScopeRecordsWrite)
	}
	out, err := h.svc.Do(c.Request().Context(), booking.Call{Org: p.Org, Function: req.Function, Params: req.Params,
		Keep: func(answer func() any) []syncer.LastStep {
			return idempotency.AnswerStep(c, http.StatusOK, idempotency.Answer(func([]syncer.State) any { return answer() }))
		}})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func writes(function string) bool {
	for _, f := range booking.Functions {
		if f.Name == function {
			return f.Writes
		}
	}
	return false
}

// Functions handles GET /api/booking/functions[?format=openai|openai-responses|anthropic].
func (h *BookingHandler) Functions(c echo.Context) error {
	var q api.FunctionsQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	return formatTools(c, booking.Tools(), q.Format, q.Strict)
}
