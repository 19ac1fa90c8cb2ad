// Checks the manifests of deploy/k8s without a cluster: each file decodes strictly (no unknown or
// mistyped field) into the Kubernetes API types, and the objects agree with each other: the
// selector picks the pod template, probes and the Service name container ports that exist, the
// autoscaler targets the Deployment and has CPU requests to scale on.
//
//	cd deploy/k8s/check && go run . ..
package main

import (
	"fmt"
	"os"
	"path/filepath"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"
)

func decode(dir, file string, into interface{}) {
	data, err := os.ReadFile(filepath.Join(dir, file))
	check(err)
	if err := yaml.UnmarshalStrict(data, into); err != nil {
		fail("%s: %v", file, err)
	}
}

func main() {
	dir := ".."
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	var deployment appsv1.Deployment
	var service corev1.Service
	var hpa autoscalingv2.HorizontalPodAutoscaler
	decode(dir, "deployment.yaml", &deployment)
	decode(dir, "service.yaml", &service)
	decode(dir, "hpa.yaml", &hpa)

	kinds := map[string]string{
		"deployment.yaml": deployment.APIVersion + " " + deployment.Kind,
		"service.yaml":    service.APIVersion + " " + service.Kind,
		"hpa.yaml":        hpa.APIVersion + " " + hpa.Kind,
	}
	want := map[string]string{
		"deployment.yaml": "apps/v1 Deployment",
		"service.yaml":    "v1 Service",
		"hpa.yaml":        "autoscaling/v2 HorizontalPodAutoscaler",
	}
	for file, kind := range kinds {
		if kind != want[file] {
			fail("%s: %q, want %q", file, kind, want[file])
		}
	}

	pod := deployment.Spec.Template
	selector := deployment.Spec.Selector
	if selector == nil || !labels.SelectorFromSet(selector.MatchLabels).Matches(labels.Set(pod.Labels)) {
		fail("deployment: selector %v does not pick the template's labels %v", selector, pod.Labels)
	}
	if len(pod.Spec.Containers) != 1 {
		fail("deployment: want one container, got %d", len(pod.Spec.Containers))
	}
	c := pod.Spec.Containers[0]
	ports := map[string]int32{}
	for _, p := range c.Ports {
		ports[p.Name] = p.ContainerPort
	}
	if ports["grpc"] != 8500 || ports["http"] != 8501 {
		fail("container: TF Serving's ports are grpc 8500 and http 8501, got %v", ports)
	}
	named := func(what string, port intstr.IntOrString) {
		if port.Type != intstr.String || ports[port.StrVal] == 0 {
			fail("%s: port %v is not a named container port", what, port.String())
		}
	}
	for what, probe := range map[string]*corev1.Probe{
		"startupProbe": c.StartupProbe, "livenessProbe": c.LivenessProbe, "readinessProbe": c.ReadinessProbe,
	} {
		if probe == nil || probe.HTTPGet == nil {
			fail("container: %s must be an HTTP GET", what)
		}
		named(what, probe.HTTPGet.Port)
	}
	if c.Resources.Requests.Cpu().IsZero() {
		fail("container: the autoscaler needs a CPU request")
	}
	volumes := map[string]bool{}
	for _, v := range pod.Spec.Volumes {
		volumes[v.Name] = true
	}
	for _, m := range c.VolumeMounts {
		if !volumes[m.Name] {
			fail("container: mount %q has no volume", m.Name)
		}
	}

	if !labels.SelectorFromSet(service.Spec.Selector).Matches(labels.Set(pod.Labels)) {
		fail("service: selector %v does not pick the pods %v", service.Spec.Selector, pod.Labels)
	}
	for _, p := range service.Spec.Ports {
		named("service port "+p.Name, p.TargetPort)
	}

	ref := hpa.Spec.ScaleTargetRef
	if ref.Kind != "Deployment" || ref.Name != deployment.Name || ref.APIVersion != "apps/v1" {
		fail("hpa: targets %v, not the Deployment %s", ref, deployment.Name)
	}
	if hpa.Spec.MinReplicas == nil || *hpa.Spec.MinReplicas > hpa.Spec.MaxReplicas {
		fail("hpa: minReplicas must be set and at most maxReplicas")
	}
	fmt.Println("deploy/k8s: deployment.yaml, service.yaml, hpa.yaml decode strictly and agree")
}

func check(err error) {
	if err != nil {
		fail("%v", err)
	}
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "deploy/k8s: "+format+"\n", args...)
	os.Exit(1)
}
