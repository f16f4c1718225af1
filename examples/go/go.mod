module emr-session-go

go 1.25

// The Go SDK the npm package carries (npm install pulumi-emr-session-credentials).
replace pulumi-emr-session-credentials/sdk/go => ./node_modules/pulumi-emr-session-credentials/sdk/go
