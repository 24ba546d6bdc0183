// Package sandbox is an in-process practice-management system with two fake
// upstreams that behave, and check credentials, like the real ones. It backs
// `serve --demo`, the tests and the benchmarks, so that execution, Test
// Connection, dual-write and the sync error log can be tried with no outside
// account. A *Sandbox is an http.Handler; all state lives in memory behind
// mutexes, seeded deterministically from the configured clock.
//
// # Open Dental (JSON), base URL http://HOST/opendental/api/v1
//
// Every request needs `Authorization: ODFHIR {developer_key}/{customer_key}`;
// a missing or wrong header answers 401. Errors are, as with the real API, a
// JSON string explaining the problem (`"LName is required."`). Field names are
// Open Dental's (PatNum, LName, FName, Birthdate, WirelessPhone, AptNum,
// AptDateTime, Pattern, Op, ProvNum, AptStatus, Confirmed, DateTStamp, …).
//
//	GET  /patients            LName, FName (prefix, any case), Phone (digits of
//	                          HmPhone/WkPhone/WirelessPhone), Birthdate, PatStatus,
//	                          Email, DateTStamp, Limit, Offset
//	GET  /patients/Simple     the same list
//	GET  /patients/{PatNum}
//	POST /patients            LName and FName required; 201 with the patient
//	PUT  /patients/{PatNum}   fields left out keep their value
//	GET  /appointments        PatNum, AptStatus, Op, date, dateStart, dateEnd,
//	                          DateTStamp, Limit, Offset
//	GET  /appointments/{AptNum}
//	POST /appointments        PatNum (must exist) and AptDateTime required;
//	                          Pattern defaults to "/XX/", AptStatus to "Scheduled"
//	PUT  /appointments/{AptNum}
//	PUT  /appointments/{AptNum}/Break    AptStatus becomes "Broken"
//	PUT  /appointments/{AptNum}/Confirm  {"confirmVal": "Confirmed"} or {"defNum": 21}
//	GET  /appointments/Slots  date or dateStart/dateEnd (default today + 7 days),
//	                          lengthMinutes (default 30), ProvNum, OpNum
//	GET  /providers, /providers/{ProvNum}, /operatories, /operatories/{OperatoryNum}
//	GET  /schedules           date or dateStart/dateEnd (default today), ProvNum
//	GET  /appointments/ASAP, PUT /appointments/{AptNum}/Note (appends a line)
//	GET  /familymodules/{PatNum}/Insurance   plans, subscriber and carrier
//	GET|POST /{table}, GET|PUT|DELETE /{table}/{id}: the front-desk tables
//	                          kept as plain rows (od_tables.go: commlogs, popups,
//	                          recalls, recalltypes, procedurelogs, procedurecodes,
//	                          carriers, insplans, inssubs, patplans, benefits,
//	                          definitions, preferences, scheduleops, patfields,
//	                          allergies, medicationpats, referrals, payments,
//	                          adjustments, statements, patientnotes,
//	                          histappointments); lists filter on any field
//
// Lists are plain JSON arrays paged by Limit and Offset (default and maximum
// 100, ordered by primary key), as the real API pages them; Slots answers
// every slot of its range at once. Datetimes are
// "yyyy-MM-dd HH:mm:ss" wall-clock times in Config.Location. DateTStamp is
// renewed on every change; the DateTStamp filter is inclusive (>=), so a
// change made in the same second as the previous poll is never missed.
//
// Incremental sync bookmark: like the real API, every object answered
// carries "serverDateTime" (the server clock at the time of the request), so a
// bookmark path of "0.serverDateTime" works on non-empty lists; every answer
// also carries the header X-Server-DateTime with the same value, which is
// present even when a list is empty. Lists stay plain arrays (no envelope).
//
// Slots are computed from the seeded schedules (each provider in its own
// operatory, weekdays 08:00–17:00) minus Scheduled and Complete appointments
// of that operatory or provider, in consecutive blocks of lengthMinutes from
// 08:00 that resume right after a booked interval (so a 09:00–09:40 booking
// yields 08:00 then 09:40 for one-hour slots); slots that start before now
// are left out. Cloud9's GetOnlineReservations keeps a fixed grid instead and
// skips the blocks that are taken. Creating an appointment does not
// refuse overlaps (neither does the real API); the slots simply exclude them.
// Breaking an appointment that is already Broken answers 200 unchanged.
//
// # Cloud9 Ortho (XML), POST http://HOST/cloud9/GetData.ashx
//
// The body is a <GetDataRequest> (namespace
// http://schemas.practica.ws/cloud9/partners/) carrying ClientID, UserName,
// Password, Procedure and <Parameters>. The answer is always HTTP 200 with
// <GetDataResponse><ResponseStatus>Success</ResponseStatus><Records><Record>…,
// or ResponseStatus Error with ErrorCode and ErrorMessage: 1 bad credentials,
// 2 missing parameter or unreadable request, 3 invalid value (unknown GUID,
// bad date, taken time), 4 unknown procedure. Parameter names are matched
// without regard to case. Datetimes are "01/02/2006 03:04:05 PM" (input also
// accepts unpadded, minute-only, 24-hour and ISO forms); birth dates are
// "01/02/2006". Procedures:
//
//	GetLocations, GetChairSchedules, GetAppointmentTypes
//	GetPatientList           LastName, FirstName, BirthDate, phoneNumber, LocationGUID
//	GetPortalPatientLookup   filter (required): name, "Last, First", phone or e-mail
//	GetPatientInformation    patGUID (required)
//	SetPatient               patientFirstName, patientLastName (required),
//	                         birthdayDateTime, phoneNumber, email, gender,
//	                         providerGUID, locationGUID; answers PatientGUID and
//	                         Result "Patient GUID Added: {guid}"
//	SetPatientDemographicInfo patGUID (required) and the SetPatient fields
//	SetAppointment           PatientGUID, StartTime (required), ScheduleViewGUID,
//	                         ScheduleColumnGUID (or ChairGUID), AppointmentTypeGUID,
//	                         Minutes, Note; refuses a taken chair time (code 3);
//	                         answers AppointmentGUID and Result
//	                         "Appointment GUID Added: {guid}"
//	SetAppointmentStatusConfirmed, SetAppointmentStatusCanceled   apptGUID (required)
//	GetAppointmentListByPatient  patGUID (required)
//	GetOnlineReservations    startDate, endDate (required), morning, afternoon,
//	                         LocationGUID, ScheduleColumnGUID, AppointmentTypeGUID,
//	                         Minutes: free chair times
//
// # Faults, statistics and reset
//
//	GET /_sandbox                 where the upstreams are mounted
//	GET, PUT, POST /_sandbox/faults   {"outage": false, "error_rate": 0,
//	                              "error_status": 500, "latency_ms": 0,
//	                              "rate_limit": false, "fail_after_commit_rate": 0,
//	                              "upstream": ""}; fields left out keep their value
//	GET /_sandbox/stats           requests per resource, created records, replays
//	POST /_sandbox/reset          reseed, forget idempotency keys, clear stats and faults
//
// Faults apply to both upstreams (or the one named by "upstream":
// "opendental" or "cloud9"), never to /_sandbox: latency first (abandoned when
// the caller goes away), then outage (503), rate_limit (429 with
// Retry-After: 1), then error_rate (that fraction answers error_status).
// fail_after_commit_rate makes that fraction of writes succeed but answer
// error_status, the lost-answer case that idempotency keys exist for.
//
// # Tenants
//
// The same upstreams are also served under /t/{tenant}/ (TenantPrefix), with
// fault switches and idempotency keys of that tenant only: the app points each
// organization's demo integrations at its own prefix, so one organization's
// outage switch never breaks another's sync. Those switches are set through
// SetTenantFaults by the signed-in app; /t/{tenant}/_sandbox does not exist,
// and /_sandbox/faults changes only the unprefixed sandbox. Records are shared
// within one Sandbox.
//
// The app's demo uses Tenants instead: one Sandbox per tenant (records,
// faults, statistics and idempotency keys of its own, and credentials of its
// own from ConfigFor), serving /t/{tenant}/ only; its control endpoints are
// handed to the app (ServeControl), which puts them behind a sign-in.
//
// # Idempotency
//
// A write (Open Dental POST/PUT, a Cloud9 Set… procedure) carrying the header
// Config.IdempotencyHeader (default Idempotency-Key) runs once per key,
// method, path and procedure: later requests with the same key wait for the
// first and replay its answer with Idempotent-Replayed: true. Only successful
// answers are remembered, so a refused write may be corrected and resent.
//
// # Langfuse (JSON), base URL http://HOST/langfuse
//
// The public API with basic auth (public key as user, secret key as
// password; 401 otherwise): GET /api/public/traces (page, limit, userId,
// name, sessionId, tags, fromTimestamp inclusive, toTimestamp exclusive,
// orderBy timestamp.asc|desc; answers {"data", "meta": {page, limit,
// totalItems, totalPages}}), GET /api/public/traces/{id} (with its
// observations), GET /api/public/sessions and /sessions/{id} (with its
// traces), GET /api/public/observations (traceId, type), GET and POST
// /api/public/scores. Seeded with twelve traces over the last week in four
// sessions; AddLangfuseTrace adds more.
//
// # Node-RED (JSON), base URLs http://HOST/nodered/production and …/sandbox
//
// Two runtimes with the admin API, each behind the bearer token: GET /flows
// (a bare array, or {"rev", "flows"} with Node-RED-API-Version: v2), POST
// /flows (the whole document; v2 bodies checked against rev, 409 when
// stale), GET|PUT|DELETE /flow/{id} and POST /flow. The sandbox runtime is
// seeded with one more flow (Waitlist) and one more node than production.
package sandbox
