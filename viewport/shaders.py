"""GLSL 3.30 core sources of the viewport (kept in Python so a frozen bundle needs no data files).

Lighting is a three-point studio setup: a warm key from front-left above, a cool fill from the
right, a hemisphere ambient (sky above, floor bounce below) and a rim light, so the silhouette
separates from the dark stage from any camera angle.
"""

from __future__ import annotations

_HEADER = "#version 330 core\n"

LIMB_VERTEX = (
    _HEADER
    + """
layout(location = 0) in vec3 a_ring;     // (cos, sin, h along the bone)
layout(location = 1) in vec4 a_start;    // xyz, radius at the start
layout(location = 2) in vec4 a_end;      // xyz, radius at the end
layout(location = 3) in vec4 a_color;
uniform mat4 u_view_proj;
out vec3 v_normal;
out vec3 v_world;
out vec4 v_color;
void main() {
    vec3 axis = a_end.xyz - a_start.xyz;
    float len = max(length(axis), 1e-5);
    vec3 d = axis / len;
    // Any vector not parallel to the bone gives a stable ring basis around it.
    vec3 helper = abs(d.y) < 0.95 ? vec3(0.0, 1.0, 0.0) : vec3(1.0, 0.0, 0.0);
    vec3 u = normalize(cross(d, helper));
    vec3 w = cross(d, u);
    vec3 radial = a_ring.x * u + a_ring.y * w;
    float r = mix(a_start.w, a_end.w, a_ring.z);
    v_world = a_start.xyz + d * (len * a_ring.z) + radial * r;
    // A frustum's normal leans towards the thin end by the taper's slope.
    v_normal = normalize(radial + d * ((a_start.w - a_end.w) / len));
    v_color = a_color;
    gl_Position = u_view_proj * vec4(v_world, 1.0);
}
"""
)

SPHERE_VERTEX = (
    _HEADER
    + """
layout(location = 0) in vec3 a_unit;     // unit sphere vertex, also its normal
layout(location = 1) in vec4 a_sphere;   // centre xyz, radius
layout(location = 2) in vec4 a_color;
uniform mat4 u_view_proj;
out vec3 v_normal;
out vec3 v_world;
out vec4 v_color;
void main() {
    v_world = a_sphere.xyz + a_unit * a_sphere.w;
    v_normal = a_unit;
    v_color = a_color;
    gl_Position = u_view_proj * vec4(v_world, 1.0);
}
"""
)

BODY_FRAGMENT = (
    _HEADER
    + """
in vec3 v_normal;
in vec3 v_world;
in vec4 v_color;
uniform vec3 u_eye;
out vec4 frag;
void main() {
    vec3 n = normalize(v_normal);
    vec3 v = normalize(u_eye - v_world);
    vec3 key = normalize(vec3(0.45, 0.85, 0.75));
    vec3 fill = normalize(vec3(-0.7, 0.35, 0.45));
    float hemi = 0.5 + 0.5 * n.y;
    vec3 ambient = mix(vec3(0.16, 0.15, 0.17), vec3(0.38, 0.40, 0.46), hemi);
    float diffuse = max(dot(n, key), 0.0);
    float fill_light = max(dot(n, fill), 0.0) * 0.30;
    float spec = pow(max(dot(n, normalize(key + v)), 0.0), 40.0) * 0.28;
    float rim = pow(1.0 - max(dot(n, v), 0.0), 3.0) * 0.45;
    vec3 c = v_color.rgb * (ambient + diffuse * vec3(0.80, 0.77, 0.72) + fill_light)
           + vec3(spec) + rim * vec3(0.55, 0.65, 0.85);
    frag = vec4(c, v_color.a);
}
"""
)

FLOOR_VERTEX = (
    _HEADER
    + """
layout(location = 0) in vec3 a_pos;
uniform mat4 u_view_proj;
out vec3 v_world;
void main() {
    v_world = a_pos;
    gl_Position = u_view_proj * vec4(a_pos, 1.0);
}
"""
)

FLOOR_FRAGMENT = (
    _HEADER
    + """
in vec3 v_world;
uniform vec3 u_horizon;
out vec4 frag;

float grid_line(vec2 p, float spacing, float width) {
    vec2 coord = p / spacing;
    // fwidth keeps lines one pixel wide and anti-aliased at every distance.
    vec2 fw = fwidth(coord);
    vec2 g = abs(fract(coord - 0.5) - 0.5) / fw;
    // Where cells shrink to a few pixels the lines would moire: fade them out instead.
    float fade = 1.0 - smoothstep(0.08, 0.3, max(fw.x, fw.y));
    return (1.0 - clamp(min(g.x, g.y) - width, 0.0, 1.0)) * fade;
}

void main() {
    vec2 p = v_world.xz;
    float r2 = dot(p, p);
    // A soft stage light pool around the centre.
    vec3 base = vec3(0.135, 0.14, 0.165) * (1.0 + 0.75 * exp(-r2 / 10.0));
    float minor = grid_line(p, 0.5, 0.0) * 0.22;
    float major = grid_line(p, 1.0, 0.3) * 0.42;
    float axis = (1.0 - clamp(min(abs(p.x), abs(p.y)) / fwidth(p.x) - 0.6, 0.0, 1.0)) * 0.35;
    vec3 c = mix(base, vec3(0.42, 0.45, 0.52), max(max(minor, major), axis));
    // Fade the stage into the horizon so it has no hard edge.
    c = mix(c, u_horizon, smoothstep(6.0, 16.0, sqrt(r2)));
    frag = vec4(c, 1.0);
}
"""
)

# How far a shadow quad reaches, in disc radii: the Gaussian below is < 0.3 % there.
SHADOW_EXTENT = 1.5

SHADOW_VERTEX = (
    _HEADER
    + f"#define EXTENT {SHADOW_EXTENT}\n"
    + """
layout(location = 0) in vec3 a_corner;   // unit floor quad corner, y = 0
layout(location = 1) in vec4 a_disc;     // x, z, radius, darkness
uniform mat4 u_view_proj;
out vec2 v_local;
out float v_darkness;
void main() {
    v_local = a_corner.xz * EXTENT;
    v_darkness = a_disc.w;
    vec2 p = a_disc.xy + v_local * a_disc.z;
    gl_Position = u_view_proj * vec4(p.x, 0.0, p.y, 1.0);
}
"""
)

SHADOW_FRAGMENT = (
    _HEADER
    + """
in vec2 v_local;
in float v_darkness;
out vec4 frag;
void main() {
    // Multiplied onto the floor (blend ZERO, SRC_COLOR): overlapping discs darken together.
    frag = vec4(vec3(1.0 - v_darkness * exp(-2.8 * dot(v_local, v_local))), 1.0);
}
"""
)

BACKGROUND_VERTEX = (
    _HEADER
    + """
uniform mat4 u_inv_view_proj;
out vec3 v_ray;
void main() {
    // One triangle covering the screen, from the vertex id alone (no buffer needed).
    vec2 p = vec2((gl_VertexID << 1) & 2, gl_VertexID & 2) * 2.0 - 1.0;
    vec4 far = u_inv_view_proj * vec4(p, 1.0, 1.0);
    vec4 near = u_inv_view_proj * vec4(p, -1.0, 1.0);
    v_ray = far.xyz / far.w - near.xyz / near.w;
    gl_Position = vec4(p, 1.0, 1.0);
}
"""
)

BACKGROUND_FRAGMENT = (
    _HEADER
    + """
in vec3 v_ray;
uniform vec3 u_horizon;
uniform vec3 u_zenith;
out vec4 frag;
void main() {
    // Shade by the view ray's elevation, so the sky meets the faded floor at the true
    // horizon with no seam, from any camera angle.
    float up = normalize(v_ray).y;
    frag = vec4(mix(u_horizon, u_zenith, smoothstep(0.0, 0.45, up)), 1.0);
}
"""
)
