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
.action-error{color:#a40e26;background:#fdecee;border:1px solid #f3b7c0;padding:6px 10px;white-space:pre-wrap}
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
header nav{display:flex;gap:12px}header nav a{font-weight:400;color:#d6cfe0}
header nav a.active{color:#fff;text-decoration:underline}
.view-head{display:flex;gap:16px;align-items:center;justify-content:space-between}
form.filters{display:flex;flex-wrap:wrap;gap:8px 14px;align-items:center;margin:8px 0;font-size:13px}
.level{display:inline-block;padding:0 6px;border-radius:8px;font-size:12px;background:#eee}
.level-error,.level-fatal{background:#fde2e3;color:#a51a1f}.level-warning,.level-warn{background:#fff1c9;color:#7a5600}
.level-info{background:#e3f0fd;color:#1d4f8a}.level-debug,.level-trace{background:#eee;color:#555}
.panel{margin-top:14px}.panel h3{font-size:14px;margin:10px 0 4px}
table.kv th{width:220px;text-transform:none;font-family:ui-monospace,monospace;font-size:12px}
table.kv td code,.breadcrumbs code{white-space:pre-wrap;word-break:break-all}
ul.tags{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:6px}
ul.tags li{border:1px solid var(--line);background:#fff;padding:2px 8px;border-radius:4px;font-size:12px}
.tag-key{color:var(--muted)}
.contexts{display:grid;grid-template-columns:repeat(auto-fill,minmax(360px,1fr));gap:10px}
.context-block h4{margin:6px 0;font-size:13px}
textarea.markdown{position:absolute;left:-9999px;width:1px;height:1px}
.actions{margin:6px 0}
table.waterfall td{padding:3px 8px;font-size:12px}table.waterfall .span-bar{width:45%}
table.waterfall svg{width:100%;height:12px;display:block}
table.waterfall .bar{fill:var(--accent)}table.waterfall .bar-marked{fill:var(--bad)}
.op{font-family:ui-monospace,monospace;color:var(--muted)}.indent{color:#ccc;font-family:monospace}
.mark{display:inline-block;margin-left:6px;padding:0 5px;border-radius:6px;font-size:11px;font-weight:600}
.mark-n1{background:#fde2e3;color:#a51a1f}.mark-slowest,.mark-slow{background:#fff1c9;color:#7a5600}
.log-body,pre.log-message{font-family:ui-monospace,monospace;font-size:12px;white-space:pre-wrap}
pre.log-message{background:#1e1a22;color:#e8e4ee;padding:8px}
.ansi-bold{font-weight:700}
.ansi-fg-0{color:#555}.ansi-fg-1{color:#d0312d}.ansi-fg-2{color:#2b8a3e}.ansi-fg-3{color:#b58900}
.ansi-fg-4{color:#1c64c8}.ansi-fg-5{color:#a03ab5}.ansi-fg-6{color:#0e8a8a}.ansi-fg-7{color:#999}
.ansi-fg-8{color:#777}.ansi-fg-9{color:#f0524f}.ansi-fg-10{color:#40c463}.ansi-fg-11{color:#e5c07b}
.ansi-fg-12{color:#61afef}.ansi-fg-13{color:#c678dd}.ansi-fg-14{color:#56b6c2}.ansi-fg-15{color:#ddd}
.ansi-bg-1{background:#fbd5d5}.ansi-bg-2{background:#d3f9d8}.ansi-bg-3{background:#fff3bf}.ansi-bg-4{background:#d0ebff}
img.attachment-image{max-width:100%;border:1px solid var(--line)}
pre.attachment-text{background:#fff;border:1px solid var(--line);padding:8px;max-height:500px;overflow:auto;white-space:pre-wrap}
button.reg-value{border:0;background:none;padding:0;font:inherit;color:inherit;text-decoration:underline dotted}
details.payload{margin-top:14px}
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
    var one=t.closest&&t.closest("button.reg-value[data-hex]");
    if(one){
      var cur=one.textContent===one.getAttribute("data-hex")?"dec":"hex";
      one.textContent=one.getAttribute("data-"+cur);
      return;
    }
    var clear=t.closest&&t.closest(".clear-all");
    if(clear){
      clear.disabled=true;
      fetch("/api/0/events/",{method:"DELETE",credentials:"same-origin"}).then(function(r){
        if(!r.ok){clear.disabled=false;clear.title="HTTP "+r.status;return;}
        var parts=location.pathname.split("/");
        if(parts.length===4&&(parts[1]==="events"||parts[1]==="traces")&&parts[2])location.href="/";
        else location.reload();
      });
      return;
    }
    var copy=t.closest&&t.closest(".copy-md");
    if(copy){
      var area=document.getElementById(copy.getAttribute("data-target"));
      var done=function(){copy.textContent="Copied";copy.setAttribute("data-copied","1");};
      if(navigator.clipboard&&navigator.clipboard.writeText){
        navigator.clipboard.writeText(area.value).then(done,function(){area.select();document.execCommand("copy");done();});
      }else{area.select();document.execCommand("copy");done();}
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
      var svc=act.getAttribute("data-service");
      var verb=act.getAttribute("data-state")==="running"?"start":"stop";
      var note=document.getElementById("service-action");
      var say=function(text){
        if(!note)return;
        note.textContent=text;
        note.hidden=!text;
        if(text)note.setAttribute("data-service",svc);else note.removeAttribute("data-service");
      };
      act.disabled=true;
      say("");
      fetch("/api/0/devservices/"+encodeURIComponent(svc)+"/",{
        method:"PUT",headers:{"Content-Type":"application/json"},credentials:"same-origin",
        body:JSON.stringify({state:act.getAttribute("data-state")})
      }).then(function(r){
        if(r.ok)return;
        return r.json().then(function(b){return b&&typeof b.detail==="string"?b.detail:"";},function(){return "";})
          .then(function(d){say("Could not "+verb+" "+svc+": "+(d||("HTTP "+r.status+" "+r.statusText)));});
      }).catch(function(err){say("Could not "+verb+" "+svc+": "+String(err));})
        .then(function(){act.disabled=false;});
    }
  }
  document.addEventListener("click",onClick);
  function ago(ms){
    var s=Math.round((Date.now()-ms)/1000);
    if(s<5)return "just now";
    if(s<60)return s+" s ago";
    if(s<3600)return Math.floor(s/60)+" min ago";
    if(s<86400)return Math.floor(s/3600)+" h ago";
    return Math.floor(s/86400)+" d ago";
  }
  function times(){
    var ts=document.querySelectorAll("time.ago[datetime]");
    for(var i=0;i<ts.length;i++){
      var d=new Date(ts[i].getAttribute("datetime"));
      if(isNaN(d.getTime()))continue;
      ts[i].textContent=ago(d.getTime());
      ts[i].title=d.toLocaleString()+" (local)";
    }
  }
  times();
  setInterval(times,15000);
  var sels=document.querySelectorAll("form.filters select");
  for(var k=0;k<sels.length;k++)sels[k].addEventListener("change",function(ev){ev.target.form.submit();});
  var live=document.querySelector("[data-live]");
  if(live&&window.EventSource){
    var es=new EventSource(live.getAttribute("data-live"));
    ["services","events","rate","rows"].forEach(function(name){
      es.addEventListener(name,function(ev){
        var el=document.getElementById("live-"+name);
        if(el)el.innerHTML=ev.data;
        times();
        document.body.setAttribute("data-live-"+name,String(Date.now()));
      });
    });
    es.addEventListener("error",function(){document.body.setAttribute("data-live-error","1");});
    window.addEventListener("pagehide",function(){es.close();});
  }
  var logs=document.querySelector("[data-logs]");
  if(logs&&window.EventSource){
    var ls=new EventSource(logs.getAttribute("data-logs"));
    var dropped=0,note=document.getElementById("logs-dropped");
    var add=function(cls,text){
      var line=document.createElement("div");
      line.className=cls;
      line.textContent=text;
      logs.appendChild(line);
      while(logs.childNodes.length>2000){logs.removeChild(logs.firstChild);dropped++;}
      if(dropped&&note)note.textContent=dropped+" earlier lines are no longer shown on this page.";
      logs.scrollTop=logs.scrollHeight;
    };
    ls.addEventListener("stdout",function(ev){add("stdout",ev.data);});
    ls.addEventListener("notice",function(ev){add("restart","--- "+ev.data+" ---");});
    ls.addEventListener("stderr",function(ev){add("stderr",ev.data);});
    ls.addEventListener("restart",function(ev){add("restart","--- restarted "+ev.data+" ---");});
    ls.addEventListener("end",function(ev){add("restart","--- "+ev.data+" ---");ls.close();});
    window.addEventListener("pagehide",function(){ls.close();});
  }
})();
`;
