// The home page's map of the parades: one marker per parade with a known location, its popup
// the parade's name, date and place, linked to its page (the build writes them in `popup`).
// Leaflet and its marker-cluster plugin are served by the site, like the map's tiles; Leaflet's
// module sets window.L, which the marker-cluster plugin extends (as datasette-cluster-map does).
const el = document.getElementById("pc-home-map");
if (el) {
  await import(el.dataset.leaflet);
  await import(el.dataset.markercluster);
  const map = L.map(el, { scrollWheelZoom: false }).setView([45, 40], 2);
  L.tileLayer(el.dataset.tiles, JSON.parse(el.dataset.tileOptions || "{}")).addTo(map);
  const cluster = L.markerClusterGroup({ maxClusterRadius: 40 });
  map.addLayer(cluster);
  window.paradecatMap = { map, cluster };

  const popup = (p) => {
    const link = document.createElement("a");
    link.href = p.link;
    const title = document.createElement("strong");
    title.textContent = p.title;
    link.appendChild(title);
    const box = document.createElement("div");
    box.appendChild(link);
    if (p.description) {
      const text = document.createElement("p");
      text.textContent = p.description;
      box.appendChild(text);
    }
    return box;
  };

  const load = async (url) => {
    const data = await (await fetch(url)).json();
    const markers = [];
    for (const row of data.rows) {
      let p = null;
      try { p = JSON.parse(row.popup); } catch (e) { continue; }
      if (!p || row.latitude === null || row.longitude === null) continue;
      const marker = L.marker([row.latitude, row.longitude], { title: p.title, alt: p.title });
      marker.bindPopup(popup(p));
      markers.push(marker);
    }
    cluster.addLayers(markers);
    let next = data.next_url;
    if (next && location.protocol === "https:") next = next.replace(/^http:/, "https:");
    if (next) await load(next);
  };

  load(el.dataset.rows).then(() => {
    const count = cluster.getLayers().length;
    if (count) map.fitBounds(cluster.getBounds(), { padding: [20, 20], maxZoom: 5 });
    el.dataset.markers = String(count);
  });
}
