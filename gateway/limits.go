package gateway

import (
	"fmt"
	"strconv"
)

// MaxHeaderBytes is the most header bytes API Gateway takes in a request:
// 10,240 bytes for all the header lines together, a quota that cannot be
// raised. Its front end refuses a larger request before any API sees it,
// so no gateway response applies; the answer is its HTTP server's:
//
//	431 Request Header Fields Too Large
//	HTTP header is larger than 10240 bytes.
//
// Neither the status nor the text is in API Gateway's guide; both are
// what people report from deployed APIs ("AWS API Gateway – HTTP header
// is larger than 10240 bytes.", ntsblog.homedev.com.au, 2021; "431 Status
// Code With Request Header Fields Too Large", Backbencher.dev, 2023), and
// the text is Netty's TooLongHttpHeaderException at that limit. serve
// answers the text as its other refusals, {"message": "..."}.
const MaxHeaderBytes = 10240

var headerTooLarge = "HTTP header is larger than " + strconv.Itoa(MaxHeaderBytes) + " bytes."

// CheckHeaders refuses a request whose header lines (Name: value, the
// Host line too) come to more than MaxHeaderBytes, as API Gateway does;
// nil when it takes them.
func CheckHeaders(req *Request) *Rejection {
	n := 0
	if req.DomainName != "" {
		n += len("Host: ") + len(req.DomainName)
	}
	for name, values := range req.Header {
		for _, v := range values {
			n += len(name) + len(": ") + len(v)
		}
	}
	if n <= MaxHeaderBytes {
		return nil
	}
	return &Rejection{Response: Response{Status: 431, Body: `{"message": "` + headerTooLarge + `"}`}, Message: headerTooLarge,
		Reason: fmt.Sprintf("the request's header lines are %d bytes, over API Gateway's %d", n, MaxHeaderBytes)}
}
