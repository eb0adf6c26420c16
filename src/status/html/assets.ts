// The dashboard's stylesheet and its small progressive script, served from memory as
// /static/app.css and /static/app.js (same origin, so the Content-Security-Policy can forbid
// inline script). Pages work without the script; it adds live updates and the toggles.

export const APP_CSS = `
:root{--fg:#2b2233;--muted:#80708f;--line:#e0dce5;--bg:#faf9fb;--accent:#6c5fc7;
--active:#f4eefc;--ok:#2ba185;--bad:#f55459;--warn:#f5b000}
*{box-sizing:border-box}
body{font:14px/1.4 system-ui,-apple-system,sans-serif;color:var(--fg);background:var(--bg);margin:0}
header{background:#3e3446;color:#fff;padding:10px 20px;display:flex;gap:16px;align-items:center}
header a{color:#fff;text-decoration:none;font-weight:600}
header .meta{color:#d6cfe0;font-size:12px}
main{padding:16px 20px;max-width:1200px}
h2{font-size:16px;margin:20px 0 8px}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid var(--line)}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:middle}
th{font-weight:600;color:var(--muted);font-size:12px;text-transform:uppercase}
.state-running{color:var(--ok);font-weight:600}
.state-exited,.state-dead,.state-missing{color:var(--bad);font-weight:600}
.health-unhealthy{color:var(--bad)}.health-starting{color:var(--warn)}
.chart{vertical-align:middle}.chart-value{font-size:12px;color:var(--muted)}
.chart-bg{fill:#f6f4f8}.chart-line{stroke:var(--accent);stroke-width:1.5}.bar{fill:var(--accent)}
button{font:inherit;cursor:pointer}
.events a{color:var(--accent)}
.muted{color:var(--muted)}
.exception h3{margin:8px 0 4px;font-size:15px}
.frames{list-style:none;padding:0;margin:0;border:1px solid var(--line);background:#fff}
.frame{border-bottom:1px solid var(--line)}
.frame-title{display:block;width:100%;text-align:left;background:#fff;border:0;padding:8px 10px}
.frame.in-app .frame-title{font-weight:600}
.frame-title .fn{color:var(--accent)}
.context{padding:0 10px 8px}
.context ol.source{list-style:none;margin:0;padding:0;background:#fbfafc;font:12px/1.6 ui-monospace,monospace;overflow-x:auto}
.context ol.source li{display:flex;white-space:pre}
.context ol.source li.active{background:var(--active);font-weight:600}
.context .lineno{display:inline-block;width:58px;text-align:right;padding-right:10px;color:var(--muted);user-select:none;flex:none}
.context:not(.expanded) ol.source li:not(.active){display:none}
.context:not(.expanded) .vars,.context:not(.expanded) .registers{display:none}
.vars{margin-top:8px;font-size:12px}.vars th{width:180px;text-transform:none;font-family:ui-monospace,monospace}
.registers{margin-top:8px}.registers-head{display:flex;gap:10px;align-items:center}
.registers h4{margin:4px 0;font-size:13px}
.reg-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:2px 12px;font:12px ui-monospace,monospace}
.reg-name{display:inline-block;width:48px;color:var(--muted)}
.empty-notation{color:var(--muted);font-style:italic;margin:4px 0}
pre.logs{background:#1e1a22;color:#e8e4ee;padding:8px;min-height:300px;max-height:75vh;overflow:auto;font-size:12px}
pre.logs .stderr{color:#ffb3b8}pre.logs .restart{color:#9be1c9}
pre.json{background:#fff;border:1px solid var(--line);padding:8px;overflow:auto;max-height:400px;font-size:12px}
`;

export const APP_JS = `
(function(){
  "use strict";
  function onClick(e){
    var t=e.target;
    var title=t.closest&&t.closest(".frame-title");
    if(title){
      var frame=title.parentElement, ctx=frame.querySelector(".context");
      var open=!frame.classList.contains("expanded");
      frame.classList.toggle("expanded",open);
      if(ctx&&!ctx.classList.contains("empty"))ctx.classList.toggle("expanded",open);
      title.setAttribute("aria-expanded",String(open));
      return;
    }
    var toggle=t.closest&&t.closest(".reg-toggle");
    if(toggle){
      var mode=toggle.getAttribute("data-mode")==="hex"?"dec":"hex";
      toggle.setAttribute("data-mode",mode);
      toggle.textContent=mode==="hex"?"Show decimal":"Show hex";
      var vals=toggle.closest(".registers").querySelectorAll(".reg-value[data-hex]");
      for(var i=0;i<vals.length;i++)vals[i].textContent=vals[i].getAttribute("data-"+mode);
      return;
    }
    var act=t.closest&&t.closest("button[data-service]");
    if(act){
      act.disabled=true;
      fetch("/api/0/devservices/"+encodeURIComponent(act.getAttribute("data-service"))+"/",{
        method:"PUT",headers:{"Content-Type":"application/json"},credentials:"same-origin",
        body:JSON.stringify({state:act.getAttribute("data-state")})
      }).then(function(r){if(!r.ok)return r.json().then(function(b){act.title=b.detail||r.statusText;});})
        .catch(function(err){act.title=String(err);})
        .then(function(){act.disabled=false;});
    }
  }
  document.addEventListener("click",onClick);
  var live=document.querySelector("[data-live]");
  if(live&&window.EventSource){
    var es=new EventSource(live.getAttribute("data-live"));
    ["services","events","rate"].forEach(function(name){
      es.addEventListener(name,function(ev){
        var el=document.getElementById("live-"+name);
        if(el)el.innerHTML=ev.data;
        document.body.setAttribute("data-live-"+name,String(Date.now()));
      });
    });
    es.addEventListener("error",function(){document.body.setAttribute("data-live-error","1");});
    window.addEventListener("pagehide",function(){es.close();});
  }
  var logs=document.querySelector("[data-logs]");
  if(logs&&window.EventSource){
    var ls=new EventSource(logs.getAttribute("data-logs"));
    var add=function(cls,text){
      var line=document.createElement("div");
      line.className=cls;
      line.textContent=text;
      logs.appendChild(line);
      while(logs.childNodes.length>2000)logs.removeChild(logs.firstChild);
      logs.scrollTop=logs.scrollHeight;
    };
    ls.addEventListener("stdout",function(ev){add("stdout",ev.data);});
    ls.addEventListener("stderr",function(ev){add("stderr",ev.data);});
    ls.addEventListener("restart",function(ev){add("restart","--- restarted "+ev.data+" ---");});
    ls.addEventListener("end",function(ev){add("restart","--- "+ev.data+" ---");ls.close();});
    window.addEventListener("pagehide",function(){ls.close();});
  }
})();
`;
