package kube

import (
	"fmt"
	"strings"
)

// The Corefiles: zone bench.test, record app answering 64 of pool eu's
// members, the status API; no check, so nothing is probed.
const corefile = `bench.test:%d {
    bind 127.0.0.1
    gslb {
        status 127.0.0.1:%d
%s        record app {
            pools eu
            answers 64
        }
%s    }
}
`

// staticCorefile has the 1,000 addresses as member lines.
func staticCorefile(p ports) string {
	var pool strings.Builder
	pool.WriteString("        pool eu {\n")
	for i := range services {
		fmt.Fprintf(&pool, "            member %s\n", memberAddr(i))
	}
	pool.WriteString("        }\n")
	return fmt.Sprintf(corefile, p.dns, p.status, pool.String(), "")
}

// discoveredCorefile takes pool eu's members from the 1,000 Services by
// their label.
func discoveredCorefile(kubeconfig string) func(ports) string {
	return func(p ports) string {
		return fmt.Sprintf(corefile, p.dns, p.status, kubeBlock(kubeconfig)+euByLabel, "")
	}
}

// targetCorefile adds record target, answering only from Service
// bench/target, to the discovered Corefile.
func targetCorefile(kubeconfig string) func(ports) string {
	return func(p ports) string {
		pools := kubeBlock(kubeconfig) + euByLabel + `        pool target {
            service ` + ns + `/target
        }
`
		target := `        record target {
            pools target
        }
`
		return fmt.Sprintf(corefile, p.dns, p.status, pools, target)
	}
}

func kubeBlock(kubeconfig string) string {
	return `        kubernetes eu {
            kubeconfig ` + kubeconfig + ` kubetest
        }
`
}

const euByLabel = `        pool eu {
            service ` + ns + ` ` + selector + `
        }
`
