package kube

import (
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// gatewayView reads a Gateway, as the dynamic client has it: the
// addresses of its status (IPAddress, the default type, and Hostname; other
// types name no address) and its Programmed condition.
func gatewayView(obj any) (view, bool) {
	gw, ok := obj.(*unstructured.Unstructured)
	if !ok {
		return view{}, false
	}
	v := annotatedView(gw)
	if v.annotation == "" {
		addrs, _, _ := unstructured.NestedSlice(gw.Object, "status", "addresses")
		for _, a := range addrs {
			m, _ := a.(map[string]any)
			kind, _ := m["type"].(string)
			value, _ := m["value"].(string)
			switch kind {
			case "", "IPAddress":
				v.addrs = appendStatus(v.addrs, value, "")
			case "Hostname":
				v.addrs = appendStatus(v.addrs, "", value)
			}
		}
	}
	conditions, _, _ := unstructured.NestedSlice(gw.Object, "status", "conditions")
	for _, c := range conditions {
		m, _ := c.(map[string]any)
		if m["type"] == "Programmed" {
			v.programmed = m["status"] == "True"
			v.message, _ = m["message"].(string)
		}
	}
	return v, true
}
