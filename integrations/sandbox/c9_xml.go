package sandbox

import (
	"crypto/subtle"
	"encoding/xml"
	"io"
	"net/http"
	"strings"
)

// c9Request is a GetDataRequest; element names match in any namespace.
type c9Request struct {
	XMLName    xml.Name `xml:"GetDataRequest"`
	ClientID   string   `xml:"ClientID"`
	UserName   string   `xml:"UserName"`
	Password   string   `xml:"Password"`
	Procedure  string   `xml:"Procedure"`
	Parameters struct {
		Items []struct {
			XMLName xml.Name
			Value   string `xml:",chardata"`
		} `xml:",any"`
	} `xml:"Parameters"`
}

// c9Params are a request's parameters, names lower-cased.
type c9Params map[string]string

// get returns the first non-empty value among names (aliases).
func (p c9Params) get(names ...string) string {
	for _, n := range names {
		if v := p[strings.ToLower(n)]; v != "" {
			return v
		}
	}
	return ""
}

func (p c9Params) has(names ...string) bool {
	for _, n := range names {
		if _, ok := p[strings.ToLower(n)]; ok {
			return true
		}
	}
	return false
}

func readC9Request(r *http.Request) (c9Request, c9Params, error) {
	var req c9Request
	dec := xml.NewDecoder(io.LimitReader(r.Body, maxBody))
	if err := dec.Decode(&req); err != nil {
		return req, nil, err
	}
	params := c9Params{}
	for _, it := range req.Parameters.Items {
		params[strings.ToLower(it.XMLName.Local)] = strings.TrimSpace(it.Value)
	}
	return req, params, nil
}

// guidKey normalises a GUID as clients send it ({…}, upper case).
func guidKey(v string) string {
	return strings.ToLower(strings.Trim(strings.TrimSpace(v), "{}"))
}

// c9Field is one child element of a Record.
type c9Field struct{ name, value string }

// c9Record is a Record whose children keep their order.
type c9Record []c9Field

// MarshalXML writes the record's fields as child elements, escaped.
func (rec c9Record) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	for _, f := range rec {
		if err := e.EncodeElement(f.value, xml.StartElement{Name: xml.Name{Local: f.name}}); err != nil {
			return err
		}
	}
	return e.EncodeToken(start.End())
}

type c9Response struct {
	XMLName        xml.Name `xml:"http://schemas.practica.ws/cloud9/partners/ GetDataResponse"`
	ResponseStatus string   `xml:"ResponseStatus"`
	ErrorCode      *int     `xml:"ErrorCode,omitempty"`
	ErrorMessage   string   `xml:"ErrorMessage,omitempty"`
	Records        *struct {
		Record []c9Record `xml:"Record"`
	} `xml:"Records"`
}

// c9Result is a procedure's outcome: records, or an error code and message.
type c9Result struct {
	records []c9Record
	code    int
	message string
}

// Cloud9 error codes the sandbox answers.
const (
	c9CodeCredentials = 1
	c9CodeMissing     = 2
	c9CodeInvalid     = 3
	c9CodeProcedure   = 4
)

func c9Error(code int, msg string) c9Result { return c9Result{code: code, message: msg} }

func c9Missing(name string) c9Result {
	return c9Error(c9CodeMissing, "Required parameter '"+name+"' was not specified.")
}

func writeC9(w http.ResponseWriter, res c9Result) {
	resp := c9Response{ResponseStatus: "Success"}
	if res.message != "" {
		markFailed(w)
		resp.ResponseStatus, resp.ErrorCode, resp.ErrorMessage = "Error", &res.code, res.message
	} else {
		resp.Records = &struct {
			Record []c9Record `xml:"Record"`
		}{Record: res.records}
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, xml.Header)
	_ = xml.NewEncoder(w).Encode(resp)
}

// serveCloud9 answers POST /cloud9/GetData.ashx.
func (s *Sandbox) serveCloud9(w http.ResponseWriter, r *http.Request) {
	s.stats.total(UpstreamCloud9)
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "Method Not Allowed", http.StatusMethodNotAllowed)
		return
	}
	if s.injectFaults(w, r, UpstreamCloud9) {
		return
	}
	req, params, err := readC9Request(r)
	if err != nil {
		writeC9(w, c9Error(c9CodeMissing, "The request is not a valid GetDataRequest XML document."))
		return
	}
	if !s.c9Authorized(req) {
		s.stats.unauthorized()
		writeC9(w, c9Error(c9CodeCredentials, "Invalid client ID, user name or password."))
		return
	}
	if strings.TrimSpace(req.Procedure) == "" {
		writeC9(w, c9Missing("Procedure"))
		return
	}
	proc, ok := c9Procedures[strings.ToLower(strings.TrimSpace(req.Procedure))]
	if !ok {
		writeC9(w, c9Error(c9CodeProcedure, "Unknown procedure '"+strings.TrimSpace(req.Procedure)+"'."))
		return
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		s.stats.request(UpstreamCloud9, proc.name)
		writeC9(w, proc.run(s, params))
	})
	if proc.writes {
		s.serveWrite(w, r, UpstreamCloud9, proc.name, h)
		return
	}
	h(w, r)
}

func (s *Sandbox) c9Authorized(req c9Request) bool {
	eq := func(a, b string) int { return subtle.ConstantTimeCompare([]byte(strings.TrimSpace(a)), []byte(b)) }
	return eq(req.ClientID, s.cfg.Cloud9ClientID)&eq(req.UserName, s.cfg.Cloud9UserName)&
		eq(req.Password, s.cfg.Cloud9Password) == 1
}

type c9Procedure struct {
	name   string
	writes bool
	run    func(s *Sandbox, p c9Params) c9Result
}

// c9Procedures maps lower-cased procedure names to their implementation.
var c9Procedures = func() map[string]c9Procedure {
	m := map[string]c9Procedure{}
	for _, p := range []c9Procedure{
		{"GetLocations", false, (*Sandbox).c9GetLocations},
		{"GetChairSchedules", false, (*Sandbox).c9GetChairSchedules},
		{"GetAppointmentTypes", false, (*Sandbox).c9GetAppointmentTypes},
		{"GetDoctors", false, (*Sandbox).c9GetDoctors},
		{"GetPatientList", false, (*Sandbox).c9GetPatientList},
		{"GetPortalPatientLookup", false, (*Sandbox).c9PortalPatientLookup},
		{"GetPatientInformation", false, (*Sandbox).c9GetPatientInformation},
		{"GetAppointmentListByPatient", false, (*Sandbox).c9AppointmentsByPatient},
		{"GetOnlineReservations", false, (*Sandbox).c9OnlineReservations},
		{"SetPatient", true, (*Sandbox).c9SetPatient},
		{"SetPatientDemographicInfo", true, (*Sandbox).c9SetPatientDemographics},
		{"SetAppointment", true, (*Sandbox).c9SetAppointment},
		{"SetAppointmentStatusConfirmed", true, (*Sandbox).c9ConfirmAppointment},
		{"SetAppointmentStatusCanceled", true, (*Sandbox).c9CancelAppointment},
	} {
		m[strings.ToLower(p.name)] = p
	}
	return m
}()
