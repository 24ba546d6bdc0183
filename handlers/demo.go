package handlers

// DemoControls are the demo sandbox's switches the sync error log offers:
// the outage of one organization's sandbox tenant, so a newcomer can watch
// writes fail to sync and then retry them. The app passes them in when it
// runs the demo (it also mounts the sandbox itself); nil otherwise.
type DemoControls interface {
	// Outage reports whether the organization's sandbox tenant is down.
	Outage(orgID int64) bool
	// SetOutage takes the organization's sandbox tenant down or up.
	SetOutage(orgID int64, down bool)
}
