// EMR on EKS managed endpoint session credentials as a Pulumi resource whose token renews itself before it expires.
package emrsessioncredentials
