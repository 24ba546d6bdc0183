package urls

// SettingsTestAlert is the path of the settings page's "Send test alert".
func (u URLs) SettingsTestAlert() string { return u.Named(SettingsTestAlert) }

// SettingsRotateAlert is the path that rotates the alerts' signing secret.
func (u URLs) SettingsRotateAlert() string { return u.Named(SettingsRotateAlert) }
