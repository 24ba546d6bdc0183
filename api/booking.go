package api

// BookingRequest is the body of POST /api/booking: one of the original
// system's agent functions (GetMultiplePatients, CreateAppointment, …) and
// its parameters in Open Dental's names. functionName and parameters (the
// original's names) are read as function and params.
type BookingRequest struct {
	Function string         `json:"function" alias:"functionName" doc:"The booking function to call (its name or tool name)." required:"true"`
	Params   map[string]any `json:"params" alias:"parameters" doc:"The function's parameters by name."`
}

// BookingAnswer documents the answer of POST /api/booking: the function's
// result as the original answered it, an object (GetPatient,
// CreateAppointment, …) or a list (GetMultiplePatients,
// GetAvailableSlots, …) in Open Dental's field names (PatNum, AptNum,
// AptDateTime in practice time 2006-01-02 15:04:05, ProvNum, Op, Pattern).
type BookingAnswer map[string]any
