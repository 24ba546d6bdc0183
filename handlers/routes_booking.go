package handlers

import (
	"switchboard/api"
	"switchboard/integrations/tools"
	"switchboard/urls"
	"switchboard/web"
)

// bookingRoutes are the original system's agent surface over the local
// records (SPEC §11).
func (h Handlers) bookingRoutes() []route {
	return []route{
		{post, "/api/booking", urls.APIBookingCall, h.Booking.Call, apiBooking, recordsRead, nil, &apiOp{Summary: "The original system's booking functions over the local records, in Open Dental's names", Tag: tagRecords, Body: api.BookingRequest{}, Idempotent: true, Answers: ok(api.BookingAnswer{})}},
		{get, "/api/booking/functions", urls.APIBookingFunctions, h.Booking.Functions, apiRead, recordsRead, api.FunctionsQuery{}, &apiOp{Summary: "The booking functions with parameter schemas, or as LLM tools", Tag: tagRecords, Answers: ok(web.List[tools.Function]{})}},
	}
}
