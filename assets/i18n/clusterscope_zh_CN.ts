<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ClusterSettings</name>
    <message>
        <source>Cluster settings</source>
        <translation>集群设置</translation>
    </message>
    <message>
        <source>simulate disk bandwidth</source>
        <translation>模拟磁盘带宽</translation>
    </message>
    <message>
        <source>Local processes (the teaching model)</source>
        <translation>本地进程（教学模型）</translation>
    </message>
    <message>
        <source>Dask distributed workers</source>
        <translation>Dask distributed 工作进程</translation>
    </message>
    <message>
        <source>empty: start workers here; or tcp://HOST:PORT</source>
        <translation>留空：在本机启动工作进程；或填 tcp://HOST:PORT</translation>
    </message>
    <message>
        <source>Data nodes</source>
        <translation>数据节点</translation>
    </message>
    <message>
        <source>Replication (copies of each block)</source>
        <translation>副本数（每个数据块的副本份数）</translation>
    </message>
    <message>
        <source>Block size</source>
        <translation>数据块大小</translation>
    </message>
    <message>
        <source>Task slots per node</source>
        <translation>每个节点的任务槽数</translation>
    </message>
    <message>
        <source>Disk bandwidth per node</source>
        <translation>每个节点的磁盘带宽</translation>
    </message>
    <message>
        <source>Heartbeat every</source>
        <translation>心跳间隔</translation>
    </message>
    <message>
        <source>Declared dead after silence of</source>
        <translation>静默多久后判定失效</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>引擎</translation>
    </message>
    <message>
        <source>Dask scheduler</source>
        <translation>Dask 调度器</translation>
    </message>
    <message>
        <source>Start this cluster</source>
        <translation>启动此集群</translation>
    </message>
    <message>
        <source>Cannot start: {0} {1}</source>
        <translation>无法启动：{0} {1}</translation>
    </message>
</context>
<context>
    <name>ClusterView</name>
    <message>
        <source>Client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Node {0}</source>
        <translation>节点 {0}</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>启动中</translation>
    </message>
    <message>
        <source>alive</source>
        <translation>存活</translation>
    </message>
    <message>
        <source>suspect</source>
        <translation>疑似故障</translation>
    </message>
    <message>
        <source>dead</source>
        <translation>已失效</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>restarting</source>
        <translation>重启中</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>dead in {0:.1f} s</source>
        <translation>{0:.1f} s 后判定失效</translation>
    </message>
    <message>
        <source>silent {0:.1f} s</source>
        <translation>静默 {0:.1f} s</translation>
    </message>
    <message>
        <source>All blocks available</source>
        <translation>所有数据块均可用</translation>
    </message>
    <message>
        <source>… and {0} more</source>
        <translation>… 另有 {0} 个</translation>
    </message>
    <message>
        <source>Missing blocks: {0}</source>
        <translation>缺失的数据块：{0}</translation>
    </message>
    <message>
        <source>▶ 1 task</source>
        <translation>▶ 1 个任务</translation>
    </message>
    <message>
        <source>▶ {0} tasks</source>
        <translation>▶ {0} 个任务</translation>
    </message>
    <message>
        <source>PID {0} · {1}</source>
        <translation>PID {0} · {1}</translation>
    </message>
    <message>
        <source>killed</source>
        <translation>已杀死</translation>
    </message>
    <message>
        <source>{0} nodes · {1} blocks · {2} copies of each</source>
        <translation>{0} 个节点 · {1} 个数据块 · 每块 {2} 个副本</translation>
    </message>
    <message>
        <source>on Dask workers</source>
        <translation>运行在 Dask 工作进程上</translation>
    </message>
    <message>
        <source>Waiting for the cluster to start…</source>
        <translation>正在等待集群启动…</translation>
    </message>
    <message>
        <source>fewer than {0} live copies</source>
        <translation>存活副本少于 {0} 个</translation>
    </message>
    <message>
        <source>▶ {0}</source>
        <translation>▶ {0}</translation>
    </message>
    <message>
        <source>Resume (SIGCONT)</source>
        <translation>恢复（SIGCONT）</translation>
    </message>
    <message>
        <source>Pause (SIGSTOP)</source>
        <translation>暂停（SIGSTOP）</translation>
    </message>
    <message>
        <source>Kill (SIGKILL)</source>
        <translation>杀死（SIGKILL）</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>重启</translation>
    </message>
    <message>
        <source>Corrupt a replica</source>
        <translation>损坏一个副本</translation>
    </message>
    <message>
        <source>The client: a put sends every block from here to its first nodes.</source>
        <translation>客户端：存入文件时，每个数据块都从这里发往它的首批节点。</translation>
    </message>
    <message>
        <source>Block {0}</source>
        <translation>数据块 {0}</translation>
    </message>
    <message>
        <source>File: {0}, block {1} of the file</source>
        <translation>文件：{0}，该文件的第 {1} 块</translation>
    </message>
    <message>
        <source>Size: {0}</source>
        <translation>大小：{0}</translation>
    </message>
    <message>
        <source>Checksum: {0}</source>
        <translation>校验和：{0}</translation>
    </message>
    <message>
        <source>Replicas on nodes: {0}</source>
        <translation>副本所在节点：{0}</translation>
    </message>
    <message>
        <source>Under-replicated: fewer live copies than {0}</source>
        <translation>副本不足：存活副本少于 {0} 个</translation>
    </message>
    <message>
        <source>! This copy is corrupted on disk (not yet detected)</source>
        <translation>! 此副本在磁盘上已损坏（尚未被发现）</translation>
    </message>
    <message>
        <source>Being read by a running task</source>
        <translation>正被一个运行中的任务读取</translation>
    </message>
    <message>
        <source>Node {0}: {1}</source>
        <translation>节点 {0}：{1}</translation>
    </message>
    <message>
        <source>PID {0}, process {1}</source>
        <translation>PID {0}，进程 {1}</translation>
    </message>
    <message>
        <source>{0} replicas, {1}</source>
        <translation>{0} 个副本，{1}</translation>
    </message>
    <message>
        <source>Running tasks: {0}</source>
        <translation>运行中的任务：{0}</translation>
    </message>
    <message>
        <source>Reading {0}/s, copying {1}/s</source>
        <translation>读取 {0}/s，复制 {1}/s</translation>
    </message>
    <message>
        <source>Click to select; right click for actions</source>
        <translation>单击选中；右键单击打开操作菜单</translation>
    </message>
</context>
<context>
    <name>DemoScript</name>
    <message>
        <source>Demo 1/4: storing the sample. Each block goes to {0} different nodes; watch the squares fly.</source>
        <translation>演示 1/4：存储样本文本。每个数据块写入 {0} 个不同的节点；请看方块飞过去。</translation>
    </message>
    <message>
        <source>Demo 3/4: node {0} killed mid-job (SIGKILL). Its tasks will rerun elsewhere; its blocks are copied back to {1} replicas.</source>
        <translation>演示 3/4：作业进行中杀死节点 {0}（SIGKILL）。它的任务将在别处重新运行；它的数据块会被重新复制，恢复到 {1} 个副本。</translation>
    </message>
    <message>
        <source>Demo 2/4: counting '{0}'. Every task runs on a node that holds its block.</source>
        <translation>演示 2/4：统计“{0}”。每个任务都在持有其数据块的节点上运行。</translation>
    </message>
    <message>
        <source>The demo stopped: {0}</source>
        <translation>演示已停止：{0}</translation>
    </message>
    <message>
        <source>Demo 4/4: node {0} is dead, yet the count is {1} and the verdict is {2}; every block is back at {3} replicas.</source>
        <translation>演示 4/4：节点 {0} 已失效，但计数仍为 {1}，判定为 {2}；每个数据块都已恢复到 {3} 个副本。</translation>
    </message>
    <message>
        <source>Demo 4/4: node {0} is dead, yet the count is {1} and the verdict is {2}; with fewer live nodes than {3} replicas, some blocks stay below {3}.</source>
        <translation>演示 4/4：节点 {0} 已失效，但计数仍为 {1}，判定为 {2}；存活节点少于 {3} 个，部分数据块的副本数仍低于 {3}。</translation>
    </message>
</context>
<context>
    <name>EventLogModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>节点</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>DEBUG</source>
        <translation>调试</translation>
    </message>
    <message>
        <source>INFO</source>
        <translation>信息</translation>
    </message>
    <message>
        <source>WARNING</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>ERROR</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>CRITICAL</source>
        <translation>严重</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>引擎</translation>
    </message>
    <message>
        <source>Node {0}</source>
        <translation>节点 {0}</translation>
    </message>
    <message>
        <source>{0:.2f} s</source>
        <translation>{0:.2f} s</translation>
    </message>
</context>
<context>
    <name>EventLogView</name>
    <message>
        <source>Event log</source>
        <translation>事件日志</translation>
    </message>
    <message>
        <source>Show the events of one node only</source>
        <translation>只显示某一个节点的事件</translation>
    </message>
    <message>
        <source>All nodes</source>
        <translation>所有节点</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>引擎</translation>
    </message>
    <message>
        <source>Show events at or above this level</source>
        <translation>显示此级别及以上的事件</translation>
    </message>
    <message>
        <source>≥ DEBUG</source>
        <translation>≥ 调试</translation>
    </message>
    <message>
        <source>≥ INFO</source>
        <translation>≥ 信息</translation>
    </message>
    <message>
        <source>≥ WARNING</source>
        <translation>≥ 警告</translation>
    </message>
    <message>
        <source>≥ ERROR</source>
        <translation>≥ 错误</translation>
    </message>
    <message>
        <source>Newest ↓</source>
        <translation>最新 ↓</translation>
    </message>
    <message>
        <source>Scroll to the newest event and keep following</source>
        <translation>滚动到最新事件并持续跟随</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>{0} events</source>
        <translation>{0} 条事件</translation>
    </message>
    <message>
        <source>{0} of {1} shown</source>
        <translation>显示 {0} / {1} 条</translation>
    </message>
</context>
<context>
    <name>FaultShading</name>
    <message>
        <source>Node {0}</source>
        <translation>节点 {0}</translation>
    </message>
</context>
<context>
    <name>FaultTimelineView</name>
    <message>
        <source>Faults</source>
        <translation>故障</translation>
    </message>
</context>
<context>
    <name>HealthPlot</name>
    <message>
        <source>Block health</source>
        <translation>数据块健康状况</translation>
    </message>
    <message>
        <source>under-replicated</source>
        <translation>副本不足</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>outlined (out of reach)</source>
        <translation>空心轮廓（无法访问）</translation>
    </message>
    <message>
        <source>blocks</source>
        <translation>数据块数</translation>
    </message>
    <message>
        <source>cluster time (s)</source>
        <translation>集群时间（s）</translation>
    </message>
</context>
<context>
    <name>JobPanel</name>
    <message>
        <source>map task</source>
        <translation>映射（Map）任务</translation>
    </message>
    <message>
        <source>reduce task</source>
        <translation>归约（Reduce）任务</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>cluster time (s)</source>
        <translation>集群时间（s）</translation>
    </message>
    <message>
        <source>No job yet: run “count” or “wordcount”</source>
        <translation>尚无作业：请运行“计数”或“词频统计”</translation>
    </message>
    <message>
        <source>count '{word}' in {file}</source>
        <translation>在 {file} 中统计“{word}”</translation>
    </message>
    <message>
        <source>(ignoring case)</source>
        <translation>（忽略大小写）</translation>
    </message>
    <message>
        <source>wordcount (top {top}) of {file}</source>
        <translation>{file} 的词频统计（前 {top} 个）</translation>
    </message>
    <message>
        <source>map</source>
        <translation>映射</translation>
    </message>
    <message>
        <source>reduce</source>
        <translation>归约</translation>
    </message>
    <message>
        <source>{phase} {done} / {total}</source>
        <translation>{phase} {done} / {total}</translation>
    </message>
    <message>
        <source>{n} retried</source>
        <translation>重试 {n} 个</translation>
    </message>
    <message>
        <source>{n} node-local</source>
        <translation>节点本地 {n} 个</translation>
    </message>
    <message>
        <source>finished in {s} s</source>
        <translation>用时 {s} s 完成</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>checking against a single-process reference…</source>
        <translation>正在与单进程参考结果核对…</translation>
    </message>
    <message>
        <source>exact</source>
        <translation>精确</translation>
    </message>
    <message>
        <source>incomplete: block(s) {blocks} unreadable (not checked against a reference)</source>
        <translation>不完整：数据块 {blocks} 无法读取（未与参考结果核对）</translation>
    </message>
    <message>
        <source>incomplete: block(s) {blocks} unreadable; exact over the other blocks</source>
        <translation>不完整：数据块 {blocks} 无法读取；其余数据块上的结果精确</translation>
    </message>
    <message>
        <source>incomplete</source>
        <translation>不完整</translation>
    </message>
    <message>
        <source>no result</source>
        <translation>无结果</translation>
    </message>
    <message>
        <source>WRONG</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Node {0}</source>
        <translation>节点 {0}</translation>
    </message>
    <message>
        <source>Nodes {0}–{1}</source>
        <translation>节点 {0}–{1}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>ClusterScope: watch a cluster store, compute and fail</source>
        <translation>ClusterScope：观察集群的存储、计算与故障</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>作业</translation>
    </message>
    <message>
        <source>What if</source>
        <translation>假如</translation>
    </message>
    <message>
        <source>How long reading the data takes on one disk and on N disks in parallel, for this cluster or for your own numbers</source>
        <translation>用一个磁盘和用 N 个磁盘并行读取这些数据各需多长时间，可按本集群或你自己的数值计算</translation>
    </message>
    <message>
        <source>Open a text file</source>
        <translation>打开文本文件</translation>
    </message>
    <message>
        <source>Text files (*.txt);;All files (*)</source>
        <translation>文本文件 (*.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Generate sample text</source>
        <translation>生成样本文本</translation>
    </message>
    <message>
        <source>Size of the seeded sample:</source>
        <translation>样本文本大小（固定种子）：</translation>
    </message>
    <message>
        <source>Open a scenario</source>
        <translation>打开场景</translation>
    </message>
    <message>
        <source>Scenarios (*.toml);;All files (*)</source>
        <translation>场景 (*.toml);;所有文件 (*)</translation>
    </message>
    <message>
        <source>ClusterScope shortcuts</source>
        <translation>ClusterScope 快捷键</translation>
    </message>
    <message>
        <source>Export plots</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <source>{0}: could not write the image</source>
        <translation>{0}：无法写入图像</translation>
    </message>
    <message>
        <source>Export metrics</source>
        <translation>导出指标</translation>
    </message>
    <message>
        <source>Export events</source>
        <translation>导出事件</translation>
    </message>
    <message>
        <source>Save window</source>
        <translation>保存窗口</translation>
    </message>
    <message>
        <source>Save recording</source>
        <translation>保存录制</translation>
    </message>
    <message>
        <source>ClusterScope recording (*.jsonl)</source>
        <translation>ClusterScope 录制 (*.jsonl)</translation>
    </message>
    <message>
        <source>Open a recording</source>
        <translation>打开录制</translation>
    </message>
    <message>
        <source>ClusterScope recording (*.jsonl);;All files (*)</source>
        <translation>ClusterScope 录制 (*.jsonl);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Starting the cluster…</source>
        <translation>正在启动集群…</translation>
    </message>
    <message>
        <source>{0} nodes are up, each a real process with its own folder. Store the sample ({1}), then count a word; right-click a node to break it.</source>
        <translation>{0} 个节点已启动，每个都是一个真实的进程，拥有自己的文件夹。先存储样本文本（{1}），再统计一个词；右键单击节点可让它出故障。</translation>
    </message>
    <message>
        <source>Take the guided tour ▶ (T)</source>
        <translation>开始导览 ▶（T）</translation>
    </message>
    <message>
        <source>Starting a fresh cluster…</source>
        <translation>正在启动一个新集群…</translation>
    </message>
    <message>
        <source>Chosen {0}. Press Store to cut it into blocks.</source>
        <translation>已选择 {0}。按“存储”将其切分为数据块。</translation>
    </message>
    <message>
        <source>Generated {0} of sample text. Press Store.</source>
        <translation>已生成 {0} 的样本文本。请按“存储”。</translation>
    </message>
    <message>
        <source>Storing {0}: cut into blocks of {1} at whitespace, each block checksummed and written to {2} different nodes.</source>
        <translation>正在存储 {0}：在空白处切分为 {1} 的数据块，每块计算校验和，并写入 {2} 个不同的节点。</translation>
    </message>
    <message>
        <source>Stored {0}: {1} blocks, each on {2} nodes. Now count a word.</source>
        <translation>已存储 {0}：{1} 个数据块，每块位于 {2} 个节点上。现在统计一个词吧。</translation>
    </message>
    <message>
        <source>Counting '{0}': one task per block, each on a node that holds the block (data locality).</source>
        <translation>正在统计“{0}”：每个数据块一个任务，各自在持有该数据块的节点上运行（数据本地性）。</translation>
    </message>
    <message>
        <source>Wordcount: map every block, combine on the node, shuffle by word to one reducer per node, reduce, merge.</source>
        <translation>词频统计：对每个数据块做映射（Map），在节点上合并，按词洗牌（Shuffle）到每个节点各一个归约器，归约（Reduce），最后汇总。</translation>
    </message>
    <message>
        <source>Node {0} killed with SIGKILL. Watch: it stops heartbeating, turns suspect, then is declared dead; its blocks are copied back to 3 replicas.</source>
        <translation>节点 {0} 已被 SIGKILL 杀死。请看：它停止发送心跳，变为疑似故障，随后被判定为已失效；它的数据块会被重新复制，恢复到 3 个副本。</translation>
    </message>
    <message>
        <source>Node {0} paused (SIGSTOP): alive but silent, so it will be declared dead.</source>
        <translation>节点 {0} 已暂停（SIGSTOP）：进程仍在但不再发声，因此将被判定为已失效。</translation>
    </message>
    <message>
        <source>Node {0} resumed (SIGCONT): it rejoins with a block report; extra replicas are trimmed.</source>
        <translation>节点 {0} 已恢复（SIGCONT）：它通过块报告重新加入；多余的副本会被删除。</translation>
    </message>
    <message>
        <source>Node {0} restarting: a new process over the same folder, which reports the blocks it finds.</source>
        <translation>节点 {0} 正在重启：在同一文件夹上启动新进程，并报告它找到的数据块。</translation>
    </message>
    <message>
        <source>A replica on node {0} was corrupted on disk. The next read detects it by checksum and repairs it from a good copy.</source>
        <translation>节点 {0} 上的一个副本在磁盘上被损坏。下一次读取会通过校验和发现它，并用完好的副本修复。</translation>
    </message>
    <message>
        <source>Cluster paused: every node is stopped. Press Space to resume.</source>
        <translation>集群已暂停：所有节点均已停止。按 Space 键恢复。</translation>
    </message>
    <message>
        <source>Cluster resumed.</source>
        <translation>集群已恢复。</translation>
    </message>
    <message>
        <source>Replay of {name}: {duration} s, {nodes} nodes, {faults} fault(s), {jobs} job(s). No cluster is running: play it, drag the slider, or jump to the next fault.</source>
        <translation>回放 {name}：{duration} s，{nodes} 个节点，{faults} 个故障，{jobs} 个作业。没有运行中的集群：可以播放、拖动滑块，或跳到下一个故障。</translation>
    </message>
    <message>
        <source>(This recording carries no verdicts: it was saved without its .verdicts.json.)</source>
        <translation>（此录制不含判定结果：保存时没有附带其 .verdicts.json 文件。）</translation>
    </message>
    <message>
        <source>{0} is already stored: run a job, or Reset</source>
        <translation>{0} 已经存储：请运行作业，或重置</translation>
    </message>
    <message>
        <source>Store a file first (Store)</source>
        <translation>请先存储文件（存储）</translation>
    </message>
    <message>
        <source>Select a node first (click it)</source>
        <translation>请先选中一个节点（单击它）</translation>
    </message>
    <message>
        <source>{0} failed: {1}</source>
        <translation>{0} 失败：{1}</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
    <message>
        <source>This is a recording: nothing in it can be changed</source>
        <translation>这是一段录制：其中的内容无法更改</translation>
    </message>
    <message>
        <source>● {live} live   ✖ {dead} dead   ❚❚ {paused} paused   blocks {blocks}   under-replicated {under}   missing {missing}</source>
        <translation>● 存活 {live}   ✖ 已失效 {dead}   ❚❚ 已暂停 {paused}   数据块 {blocks}   副本不足 {under}   缺失 {missing}</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>空格键</translation>
    </message>
    <message>
        <source>play or pause the replay</source>
        <translation>播放或暂停回放</translation>
    </message>
    <message>
        <source>jump to the next fault (kill, pause, corrupted replica, slowed disk)</source>
        <translation>跳到下一个故障（杀死、暂停、副本损坏、磁盘变慢）</translation>
    </message>
    <message>
        <source>back to the start of the recording</source>
        <translation>回到录制的开头</translation>
    </message>
    <message>
        <source>Click a node</source>
        <translation>单击节点</translation>
    </message>
    <message>
        <source>select it</source>
        <translation>选中该节点</translation>
    </message>
    <message>
        <source>open another recording / save this one</source>
        <translation>打开另一段录制 / 保存当前录制</translation>
    </message>
    <message>
        <source>lecture mode: full screen, large fonts, high contrast</source>
        <translation>授课模式：全屏、大字体、高对比度</translation>
    </message>
    <message>
        <source>this help</source>
        <translation>本帮助</translation>
    </message>
    <message>
        <source>Right-click a node</source>
        <translation>右键单击节点</translation>
    </message>
    <message>
        <source>kill, pause/resume, restart, corrupt a replica</source>
        <translation>杀死、暂停/恢复、重启、损坏一个副本</translation>
    </message>
    <message>
        <source>kill / pause-resume / restart / corrupt on the selected node</source>
        <translation>对选中节点执行杀死 / 暂停-恢复 / 重启 / 损坏副本</translation>
    </message>
    <message>
        <source>Arrow keys</source>
        <translation>方向键</translation>
    </message>
    <message>
        <source>move the selection</source>
        <translation>移动选择</translation>
    </message>
    <message>
        <source>open a text file / generate sample text</source>
        <translation>打开文本文件 / 生成样本文本</translation>
    </message>
    <message>
        <source>store the file</source>
        <translation>存储文件</translation>
    </message>
    <message>
        <source>count the word / wordcount</source>
        <translation>统计单词 / 词频统计</translation>
    </message>
    <message>
        <source>add a node / reset the cluster</source>
        <translation>添加节点 / 重置集群</translation>
    </message>
    <message>
        <source>pause or resume the whole cluster</source>
        <translation>暂停或恢复整个集群</translation>
    </message>
    <message>
        <source>play the demo</source>
        <translation>播放演示</translation>
    </message>
    <message>
        <source>the guided tour: the lecture's argument, step by step</source>
        <translation>导览：逐步展示本讲的论证</translation>
    </message>
    <message>
        <source>tour: next / previous step (a presenter's clicker); arrow keys too while the tour is open</source>
        <translation>导览：下一步 / 上一步（可用翻页笔）；导览打开时方向键也可用</translation>
    </message>
    <message>
        <source>leave the tour</source>
        <translation>退出导览</translation>
    </message>
    <message>
        <source>recording</source>
        <translation>录制</translation>
    </message>
    <message>
        <source>ClusterScope replay: {0}</source>
        <translation>ClusterScope 回放：{0}</translation>
    </message>
    <message>
        <source>Replay</source>
        <translation>回放</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <source>Choose a UTF-8 text file to store</source>
        <translation>选择要存储的 UTF-8 文本文件</translation>
    </message>
    <message>
        <source>Generate…</source>
        <translation>生成…</translation>
    </message>
    <message>
        <source>Generate seeded sample text</source>
        <translation>用固定种子生成样本文本</translation>
    </message>
    <message>
        <source>Store</source>
        <translation>存储</translation>
    </message>
    <message>
        <source>Cut the file into blocks and write each to 3 nodes</source>
        <translation>将文件切分为数据块，每块写入 3 个节点</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>计数</translation>
    </message>
    <message>
        <source>Count the word, one task per block, on the nodes that hold it</source>
        <translation>统计该词：每个数据块一个任务，在持有该数据块的节点上运行</translation>
    </message>
    <message>
        <source>Wordcount</source>
        <translation>词频统计</translation>
    </message>
    <message>
        <source>Top words with map, combine, shuffle, reduce</source>
        <translation>用映射（Map）、合并、洗牌（Shuffle）、归约（Reduce）求出高频词</translation>
    </message>
    <message>
        <source>Add node</source>
        <translation>添加节点</translation>
    </message>
    <message>
        <source>Start one more data node</source>
        <translation>再启动一个数据节点</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>Stop every node and start a fresh cluster</source>
        <translation>停止所有节点并启动一个新集群</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <source>Nodes, replication, block size, slots, disk speed, heartbeat and failure detection of the cluster, then start it</source>
        <translation>设置集群的节点数、副本数、数据块大小、任务槽、磁盘速度、心跳和故障检测，然后启动它</translation>
    </message>
    <message>
        <source>Pause cluster</source>
        <translation>暂停集群</translation>
    </message>
    <message>
        <source>Stop (SIGSTOP) every node and the failure detector; again to resume</source>
        <translation>停止（SIGSTOP）所有节点和故障检测器；再按一次恢复</translation>
    </message>
    <message>
        <source>Play demo</source>
        <translation>播放演示</translation>
    </message>
    <message>
        <source>Store the sample, count, kill node 2 mid-job, recover</source>
        <translation>存储样本文本、计数、在作业中途杀死节点 2、恢复</translation>
    </message>
    <message>
        <source>Guided tour</source>
        <translation>导览</translation>
    </message>
    <message>
        <source>The lecture's argument step by step, live: one disk is too slow, read many at once, replicas, computation to the data, failure</source>
        <translation>实时逐步展示本讲的论证：单个磁盘太慢、同时读取多个磁盘、副本、把计算移到数据旁、故障</translation>
    </message>
    <message>
        <source>Next tour step</source>
        <translation>导览下一步</translation>
    </message>
    <message>
        <source>Previous tour step</source>
        <translation>导览上一步</translation>
    </message>
    <message>
        <source>Leave the tour</source>
        <translation>退出导览</translation>
    </message>
    <message>
        <source>Lecture mode</source>
        <translation>授课模式</translation>
    </message>
    <message>
        <source>Full screen, large fonts, high contrast</source>
        <translation>全屏、大字体、高对比度</translation>
    </message>
    <message>
        <source>Shortcuts</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <source>Export plots as PNG…</source>
        <translation>将图表导出为 PNG…</translation>
    </message>
    <message>
        <source>Export metrics as CSV…</source>
        <translation>将指标导出为 CSV…</translation>
    </message>
    <message>
        <source>Export events as JSON Lines…</source>
        <translation>将事件导出为 JSON Lines…</translation>
    </message>
    <message>
        <source>Save window as PNG…</source>
        <translation>将窗口保存为 PNG…</translation>
    </message>
    <message>
        <source>Save recording…</source>
        <translation>保存录制…</translation>
    </message>
    <message>
        <source>Save this run's events (and verdicts) to replay later without a cluster</source>
        <translation>保存本次运行的事件（及判定结果），以便之后无需集群即可回放</translation>
    </message>
    <message>
        <source>Open recording…</source>
        <translation>打开录制…</translation>
    </message>
    <message>
        <source>Replay a saved run in a new window</source>
        <translation>在新窗口中回放已保存的运行</translation>
    </message>
    <message>
        <source>Open scenario…</source>
        <translation>打开场景…</translation>
    </message>
    <message>
        <source>Play a failure-injection scenario (TOML) live</source>
        <translation>实时播放一个故障注入场景（TOML）</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Kill selected node (SIGKILL)</source>
        <translation>杀死选中节点（SIGKILL）</translation>
    </message>
    <message>
        <source>Pause / resume selected node</source>
        <translation>暂停 / 恢复选中节点</translation>
    </message>
    <message>
        <source>Restart selected node</source>
        <translation>重启选中节点</translation>
    </message>
    <message>
        <source>Corrupt a replica on selected node</source>
        <translation>损坏选中节点上的一个副本</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Cluster</source>
        <translation>集群(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Node</source>
        <translation>节点(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Controls</source>
        <translation>控制</translation>
    </message>
    <message>
        <source>word</source>
        <translation>单词</translation>
    </message>
    <message>
        <source>The word to count (one word)</source>
        <translation>要统计的词（一个词）</translation>
    </message>
    <message>
        <source>ignore case</source>
        <translation>忽略大小写</translation>
    </message>
    <message>
        <source>top </source>
        <translation>前 </translation>
    </message>
    <message>
        <source>Cluster controls</source>
        <translation>集群控制</translation>
    </message>
    <message>
        <source>{0}x slower</source>
        <translation>慢 {0} 倍</translation>
    </message>
    <message>
        <source>normal speed</source>
        <translation>正常速度</translation>
    </message>
    <message>
        <source>Slow motion: scales heartbeats, failure detection, disk speed and animations together (resets the cluster)</source>
        <translation>慢动作：同比例放慢心跳、故障检测、磁盘速度和动画（会重置集群）</translation>
    </message>
</context>
<context>
    <name>ReplayBridge</name>
    <message>
        <source>this is a recording: it cannot change a cluster</source>
        <translation>这是一段录制：它无法改变集群</translation>
    </message>
</context>
<context>
    <name>ReplayControls</name>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Next fault</source>
        <translation>下一个故障</translation>
    </message>
    <message>
        <source>Jump to the next fault: a kill, pause, corrupted replica or slowed disk (F)</source>
        <translation>跳到下一个故障：杀死、暂停、副本损坏或磁盘变慢（F）</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>回到开头</translation>
    </message>
    <message>
        <source>Back to the start of the recording (Home)</source>
        <translation>回到录制的开头（Home）</translation>
    </message>
    <message>
        <source>REPLAY</source>
        <translation>回放</translation>
    </message>
    <message>
        <source>A recorded run: no cluster is running</source>
        <translation>一次录制的运行：没有运行中的集群</translation>
    </message>
    <message>
        <source>Drag to any moment of the recording</source>
        <translation>拖动到录制中的任意时刻</translation>
    </message>
    <message>
        <source>Cluster time of the recorded run: now / total</source>
        <translation>录制运行的集群时间：当前 / 总计</translation>
    </message>
    <message>
        <source>Playback speed</source>
        <translation>回放速度</translation>
    </message>
    <message>
        <source>{0}x</source>
        <translation>{0}x</translation>
    </message>
    <message>
        <source>{now} s / {total} s</source>
        <translation>{now} s / {total} s</translation>
    </message>
    <message>
        <source>{t} s: node {node} killed (SIGKILL)</source>
        <translation>{t} s：节点 {node} 被杀死（SIGKILL）</translation>
    </message>
    <message>
        <source>{t} s: node {node} paused (SIGSTOP)</source>
        <translation>{t} s：节点 {node} 被暂停（SIGSTOP）</translation>
    </message>
    <message>
        <source>{t} s: a replica of block {block} corrupted on node {node}</source>
        <translation>{t} s：节点 {node} 上数据块 {block} 的一个副本被损坏</translation>
    </message>
    <message>
        <source>{t} s: node {node}'s disk slowed to {mbps} MB/s</source>
        <translation>{t} s：节点 {node} 的磁盘降速至 {mbps} MB/s</translation>
    </message>
    <message>
        <source>{t} s: {kind} on node {node}</source>
        <translation>{t} s：节点 {node} 上发生 {kind}</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Pause the replay (Space)</source>
        <translation>暂停回放（Space）</translation>
    </message>
    <message>
        <source>Play the recording (Space)</source>
        <translation>播放录制（Space）</translation>
    </message>
</context>
<context>
    <name>ScenarioPlayer</name>
    <message>
        <source>Scenario '{0}': starting its cluster ({1} nodes, R = {2}).</source>
        <translation>场景“{0}”：正在启动其集群（{1} 个节点，R = {2}）。</translation>
    </message>
    <message>
        <source>Scenario '{0}': storing its data.</source>
        <translation>场景“{0}”：正在存储其数据。</translation>
    </message>
    <message>
        <source>Scenario '{0}': job {1} of {2}; faults play on the timeline below.</source>
        <translation>场景“{0}”：第 {1} / {2} 个作业；故障按下方时间线依次发生。</translation>
    </message>
    <message>
        <source>Scenario '{0}': the jobs are done; waiting until the cluster has settled.</source>
        <translation>场景“{0}”：作业已完成；正在等待集群恢复稳定。</translation>
    </message>
    <message>
        <source>{0}: its time never came</source>
        <translation>{0}：其时间始终未到</translation>
    </message>
    <message>
        <source>Scenario '{0}' played out: {1}.{2}</source>
        <translation>场景“{0}”已播放完毕：{1}。{2}</translation>
    </message>
    <message>
        <source>every block at full replication</source>
        <translation>每个数据块的副本数都已补足</translation>
    </message>
</context>
<context>
    <name>ThroughputPlot</name>
    <message>
        <source>Read throughput</source>
        <translation>读取吞吐量</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>总计</translation>
    </message>
    <message>
        <source>MB/s read</source>
        <translation>读取 MB/s</translation>
    </message>
    <message>
        <source>cluster time (s)</source>
        <translation>集群时间（s）</translation>
    </message>
    <message>
        <source>Nodes {0}-{1} (range, lowest to highest)</source>
        <translation>节点 {0}-{1}（范围：从最低到最高）</translation>
    </message>
    <message>
        <source>Node {0}</source>
        <translation>节点 {0}</translation>
    </message>
</context>
<context>
    <name>TimePlot</name>
    <message>
        <source>fault, undetected</source>
        <translation>故障，尚未发现</translation>
    </message>
    <message>
        <source>declared dead</source>
        <translation>已判定失效</translation>
    </message>
</context>
<context>
    <name>Tour</name>
    <message>
        <source>the count came back {0}</source>
        <translation>计数结果为 {0}</translation>
    </message>
    <message>
        <source>the cluster did not come up</source>
        <translation>集群没有启动起来</translation>
    </message>
    <message>
        <source>the step's run did not reach its end</source>
        <translation>此步骤的运行没有完成</translation>
    </message>
    <message>
        <source>{0} within {1:g} s</source>
        <translation>{1:g} s 内{0}</translation>
    </message>
    <message>
        <source>{0:.1f} h</source>
        <translation>{0:.1f} 小时</translation>
    </message>
    <message>
        <source>{0:.0f} s (≈ {1:.0f} min)</source>
        <translation>{0:.0f} s（≈ {1:.0f} 分钟）</translation>
    </message>
    <message>
        <source>{0:.0f} s</source>
        <translation>{0:.0f} s</translation>
    </message>
    <message>
        <source>{0:.2f} s</source>
        <translation>{0:.2f} s</translation>
    </message>
    <message>
        <source>One disk is too slow</source>
        <translation>单个磁盘太慢</translation>
    </message>
    <message>
        <source>Read many disks at once</source>
        <translation>同时读取多个磁盘</translation>
    </message>
    <message>
        <source>A hundred disks</source>
        <translation>一百个磁盘</translation>
    </message>
    <message>
        <source>Machines fail, so keep replicas</source>
        <translation>机器会故障，所以要保留副本</translation>
    </message>
    <message>
        <source>Move the computation to the data</source>
        <translation>把计算移到数据旁</translation>
    </message>
    <message>
        <source>Failure, live</source>
        <translation>现场故障</translation>
    </message>
    <message>
        <source>In the early 1990s a disk held about 1.4 GB and read 4.4 MB/s: about 5 minutes to read it whole. Today a disk holds 1 TB but reads only about 100 MB/s: more than 2.5 hours. Capacity grew a thousandfold; speed did not. Here: one node, one disk at {0:g} MB/s.</source>
        <translation>20 世纪 90 年代初，一个磁盘约能存 1.4 GB，读取速度 4.4 MB/s：读完整个磁盘约需 5 分钟。如今一个磁盘能存 1 TB，读取速度却只有约 100 MB/s：要 2.5 小时以上。容量增长了上千倍，速度却没有。这里：一个节点，一个 {0:g} MB/s 的磁盘。</translation>
    </message>
    <message>
        <source>Split the file into blocks and put them on {0} disks: each reads its own share, all at the same time. The same file, the same disk speed, {0} nodes.</source>
        <translation>把文件切分为数据块，放到 {0} 个磁盘上：每个磁盘读取自己的那一份，全部同时进行。同样的文件，同样的磁盘速度，{0} 个节点。</translation>
    </message>
    <message>
        <source>The chapter's 100 disks, each holding 1% of the data: read in parallel, a terabyte takes under 2 minutes. Here: {0} nodes.</source>
        <translation>书中的 100 个磁盘，每个存放 1% 的数据：并行读取，1 TB 数据不到 2 分钟即可读完。这里：{0} 个节点。</translation>
    </message>
    <message>
        <source>With 100 machines, one fails every few days. So every block is written to {0} different nodes (like RAID mirrors) with a checksum. A replica on node {1} is damaged now: its scanner finds the bad checksum and a good copy replaces it.</source>
        <translation>有 100 台机器时，每隔几天就会坏一台。所以每个数据块都带着校验和写入 {0} 个不同的节点（类似 RAID 镜像）。现在节点 {1} 上的一个副本损坏了：它的扫描器发现校验和不符，用完好的副本替换它。</translation>
    </message>
    <message>
        <source>Counting '{0}' in the file: every node counts the words of its own blocks, only the small counts travel, and they are summed (MapReduce, Spark). The bytes never leave their disk.</source>
        <translation>在文件中统计“{0}”：每个节点统计自己数据块中的词，只有很小的计数结果在网络上传输，再把它们相加（MapReduce、Spark）。数据本身从不离开所在的磁盘。</translation>
    </message>
    <message>
        <source>Node {0} is killed (SIGKILL) during the count. Watch: it falls silent, is suspected, declared dead; its tasks rerun on nodes holding other replicas, its blocks are copied back to {1} replicas, and the count is still exact.</source>
        <translation>计数进行中，节点 {0} 被杀死（SIGKILL）。请看：它不再发声，被标为疑似故障，随后被判定为已失效；它的任务在持有其他副本的节点上重新运行，它的数据块被重新复制，恢复到 {1} 个副本，而计数依然精确。</translation>
    </message>
    <message>
        <source>Predict first: how long does reading {0} take on {1} disks? Make your guess, then press Reveal (or Next).</source>
        <translation>先预测：在 {1} 个磁盘上读取 {0} 需要多久？先猜一猜，再按“揭晓”（或“下一步”）。</translation>
    </message>
    <message>
        <source>Early 1990s: 1.37 GB at 4.4 MB/s</source>
        <translation>20 世纪 90 年代初：1.37 GB，4.4 MB/s</translation>
    </message>
    <message>
        <source>Today: 1 TB at 100 MB/s</source>
        <translation>如今：1 TB，100 MB/s</translation>
    </message>
    <message>
        <source>Here: {0} on 1 disk at {1:g} MB/s</source>
        <translation>这里：{0}，1 个磁盘，{1:g} MB/s</translation>
    </message>
    <message>
        <source>Here: {0} on {1} disks at {2:g} MB/s each</source>
        <translation>这里：{0}，{1} 个磁盘，每个 {2:g} MB/s</translation>
    </message>
    <message>
        <source>Measured before: {0} on {1} disk(s)</source>
        <translation>之前测得：{0}，{1} 个磁盘</translation>
    </message>
    <message>
        <source>1 TB on 100 disks at 100 MB/s each</source>
        <translation>1 TB，100 个磁盘，每个 100 MB/s</translation>
    </message>
    <message>
        <source>Beyond the disks: starting tasks, collecting counts</source>
        <translation>磁盘之外的开销：启动任务、收集计数</translation>
    </message>
    <message>
        <source>{0} blocks x {1} replicas</source>
        <translation>{0} 个数据块 × {1} 个副本</translation>
    </message>
    <message>
        <source>{0} replicas on {1} nodes</source>
        <translation>{0} 个副本分布在 {1} 个节点上</translation>
    </message>
    <message>
        <source>Damaged: block {0} on node {1}</source>
        <translation>已损坏：节点 {1} 上的数据块 {0}</translation>
    </message>
    <message>
        <source>detected by its checksum</source>
        <translation>由校验和发现</translation>
    </message>
    <message>
        <source>detected, repaired</source>
        <translation>已发现并修复</translation>
    </message>
    <message>
        <source>not yet read</source>
        <translation>尚未读取</translation>
    </message>
    <message>
        <source>Bytes read where they lie</source>
        <translation>就地读取的数据量</translation>
    </message>
    <message>
        <source>What travels: one count per block</source>
        <translation>传输的内容：每个数据块一个计数</translation>
    </message>
    <message>
        <source>{0} numbers</source>
        <translation>{0} 个数</translation>
    </message>
    <message>
        <source>Tasks on a node holding their block</source>
        <translation>在持有其数据块的节点上运行的任务</translation>
    </message>
    <message>
        <source>{0} of {1}</source>
        <translation>{0} / {1}</translation>
    </message>
    <message>
        <source>'{0}' counted</source>
        <translation>“{0}”的计数</translation>
    </message>
    <message>
        <source>Declared dead after the kill</source>
        <translation>杀死后判定失效</translation>
    </message>
    <message>
        <source>dead after {0:g} s of silence</source>
        <translation>静默 {0:g} s 后判定失效</translation>
    </message>
    <message>
        <source>Every block back at {0} replicas</source>
        <translation>所有数据块恢复到 {0} 个副本</translation>
    </message>
    <message>
        <source>Tasks rerun</source>
        <translation>重新运行的任务</translation>
    </message>
</context>
<context>
    <name>TourPanel</name>
    <message>
        <source>◀ Back</source>
        <translation>◀ 上一步</translation>
    </message>
    <message>
        <source>Again</source>
        <translation>重来</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>下一步 ▶</translation>
    </message>
    <message>
        <source>Leave tour</source>
        <translation>退出导览</translation>
    </message>
    <message>
        <source>The step before (PageUp)</source>
        <translation>上一步（PageUp）</translation>
    </message>
    <message>
        <source>The next step (PageDown)</source>
        <translation>下一步（PageDown）</translation>
    </message>
    <message>
        <source>Play this step again on a fresh cluster</source>
        <translation>在新集群上重新演示这一步</translation>
    </message>
    <message>
        <source>Leave the tour here and use the cluster freely (Esc)</source>
        <translation>在此退出导览，自由使用集群（Esc）</translation>
    </message>
    <message>
        <source>Starting {0} nodes…</source>
        <translation>正在启动 {0} 个节点…</translation>
    </message>
    <message>
        <source>Running: store the file, then count '{0}'…</source>
        <translation>运行中：存储文件，然后统计“{0}”…</translation>
    </message>
    <message>
        <source>Done. Next: {0}</source>
        <translation>完成。下一步：{0}</translation>
    </message>
    <message>
        <source>That is the whole argument. Leave the tour to try it yourself.</source>
        <translation>以上就是完整的论证。退出导览，自己动手试试吧。</translation>
    </message>
    <message>
        <source>This step did not finish: {0}</source>
        <translation>这一步没有完成：{0}</translation>
    </message>
    <message>
        <source>Tour, step {0} of {1}</source>
        <translation>导览，第 {0} / {1} 步</translation>
    </message>
    <message>
        <source>Reveal ▶</source>
        <translation>揭晓 ▶</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>What</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Arithmetic</source>
        <translation>计算</translation>
    </message>
    <message>
        <source>Measured here</source>
        <translation>本集群实测</translation>
    </message>
</context>
<context>
    <name>WhatIfPanel</name>
    <message>
        <source>What if: the same data on more disks</source>
        <translation>假如：同样的数据放在更多磁盘上</translation>
    </message>
    <message>
        <source>S: how much data is read</source>
        <translation>S：读取的数据量</translation>
    </message>
    <message>
        <source> disks</source>
        <translation> 个磁盘</translation>
    </message>
    <message>
        <source>N: how many disks read their share at the same time</source>
        <translation>N：同时读取各自那一份数据的磁盘数</translation>
    </message>
    <message>
        <source> MB/s</source>
        <translation> MB/s</translation>
    </message>
    <message>
        <source>B: how fast one disk reads (MB = 1,000,000 bytes)</source>
        <translation>B：单个磁盘的读取速度（MB = 1,000,000 字节）</translation>
    </message>
    <message>
        <source>Use the cluster's values</source>
        <translation>使用集群的数值</translation>
    </message>
    <message>
        <source>Follow the cluster again: its live nodes, its disk speed and the bytes it stores</source>
        <translation>重新跟随集群：它的存活节点、磁盘速度和所存储的字节数</translation>
    </message>
    <message>
        <source>S</source>
        <translation>S</translation>
    </message>
    <message>
        <source>N</source>
        <translation>N</translation>
    </message>
    <message>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <source>{0} hour</source>
        <translation>{0} 小时</translation>
    </message>
    <message>
        <source>{0} hours</source>
        <translation>{0} 小时</translation>
    </message>
    <message>
        <source>{0} day</source>
        <translation>{0} 天</translation>
    </message>
    <message>
        <source>{0} days</source>
        <translation>{0} 天</translation>
    </message>
    <message>
        <source>{0} ms</source>
        <translation>{0} ms</translation>
    </message>
    <message>
        <source>{0} s</source>
        <translation>{0} s</translation>
    </message>
    <message>
        <source>{0} min</source>
        <translation>{0} 分钟</translation>
    </message>
    <message>
        <source>{0} {1}</source>
        <translation>{0} {1}</translation>
    </message>
    <message>
        <source>1 disk</source>
        <translation>1 个磁盘</translation>
    </message>
    <message>
        <source>{0} disks</source>
        <translation>{0} 个磁盘</translation>
    </message>
    <message>
        <source>No live node: nothing can be read.</source>
        <translation>没有存活的节点：无法读取任何数据。</translation>
    </message>
    <message>
        <source>1 node at {speed} MB/s: {size} takes &lt;b&gt;{one}&lt;/b&gt; on its one disk.</source>
        <translation>1 个节点，{speed} MB/s：{size} 在它唯一的磁盘上需要 &lt;b&gt;{one}&lt;/b&gt;。</translation>
    </message>
    <message>
        <source>{nodes} nodes at {speed} MB/s: {size} takes &lt;b&gt;{one}&lt;/b&gt; on one disk, &lt;b&gt;{many}&lt;/b&gt; on {nodes} disks in parallel (ideal).</source>
        <translation>{nodes} 个节点，{speed} MB/s：{size} 在一个磁盘上需要 &lt;b&gt;{one}&lt;/b&gt;，在 {nodes} 个磁盘上并行读取需要 &lt;b&gt;{many}&lt;/b&gt;（理想情况）。</translation>
    </message>
    <message>
        <source>Following the cluster.</source>
        <translation>正在跟随集群。</translation>
    </message>
    <message>
        <source>Your own values.</source>
        <translation>你自己的数值。</translation>
    </message>
    <message>
        <source>disks</source>
        <translation>磁盘数</translation>
    </message>
    <message>
        <source>each reads</source>
        <translation>每块磁盘读取</translation>
    </message>
    <message>
        <source>time (ideal)</source>
        <translation>时间（理想）</translation>
    </message>
    <message>
        <source>{0} (the cluster)</source>
        <translation>{0}（本集群）</translation>
    </message>
    <message>
        <source>{0} (N)</source>
        <translation>{0}（N）</translation>
    </message>
    <message>
        <source>S / (N × B) = {size} / ({n} × {speed} MB/s): each disk reads only its own 1/{n}; ideal means nothing else (network, scheduling, a slow disk) takes time.</source>
        <translation>S / (N × B) = {size} / ({n} × {speed} MB/s)：每个磁盘只读取属于自己的 1/{n}；理想情况指没有其他因素（网络、调度、慢磁盘）占用时间。</translation>
    </message>
    <message>
        <source>Nothing is stored yet: S is the size of the file to store.</source>
        <translation>尚未存储任何数据：S 是待存储文件的大小。</translation>
    </message>
    <message>
        <source>This cluster's disks are not throttled (they read at this machine's speed): B is a hard disk's; change it to play.</source>
        <translation>本集群的磁盘没有限速（以本机的速度读取）：B 取的是机械硬盘的速度；可以修改它来试验。</translation>
    </message>
    <message>
        <source>A disk is slowed to {0} MB/s: the slowest disk sets the pace.</source>
        <translation>有一个磁盘被降速至 {0} MB/s：最慢的磁盘决定整体速度。</translation>
    </message>
</context>
<context>
    <name>bridge</name>
    <message>
        <source>cluster</source>
        <translation>集群</translation>
    </message>
    <message>
        <source>its engine failed ({reason}); the cluster was stopped. Reset starts a new one.</source>
        <translation>其引擎出错（{reason}）；集群已停止。重置即可启动一个新集群。</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <source>usage: </source>
        <translation>用法：</translation>
    </message>
    <message>
        <source>positional arguments</source>
        <translation>位置参数</translation>
    </message>
    <message>
        <source>options</source>
        <translation>选项</translation>
    </message>
    <message>
        <source>show this help message and exit</source>
        <translation>显示此帮助信息并退出</translation>
    </message>
    <message>
        <source>data node processes, 1 to 256 (default %(default)s)</source>
        <translation>数据节点进程数，1 到 256（默认 %(default)s）</translation>
    </message>
    <message>
        <source>replicas per block (default %(default)s)</source>
        <translation>每个数据块的副本数（默认 %(default)s）</translation>
    </message>
    <message>
        <source>target block size, like 64KiB or 4MiB (default {size})</source>
        <translation>目标数据块大小，如 64KiB 或 4MiB（默认 {size}）</translation>
    </message>
    <message>
        <source>heartbeat interval (default %(default)s)</source>
        <translation>心跳间隔（默认 %(default)s）</translation>
    </message>
    <message>
        <source>silence before a node is declared dead (default %(default)s)</source>
        <translation>节点沉默多久后被宣告死亡（默认 %(default)s）</translation>
    </message>
    <message>
        <source>concurrent tasks per node (default %(default)s)</source>
        <translation>每个节点的并发任务数（默认 %(default)s）</translation>
    </message>
    <message>
        <source>simulated disk bandwidth per node in MB/s (default: unthrottled)</source>
        <translation>每个节点的模拟磁盘带宽，单位 MB/s（默认：不限速）</translation>
    </message>
    <message>
        <source>simulated disk bandwidth per node in MB/s (default %(default)s)</source>
        <translation>每个节点的模拟磁盘带宽，单位 MB/s（默认 %(default)s）</translation>
    </message>
    <message>
        <source>placement seed (default %(default)s)</source>
        <translation>副本放置的随机种子（默认 %(default)s）</translation>
    </message>
    <message>
        <source>where the cluster runs: local (node processes of its own) or dask (Dask distributed workers; pip install '.[dask]') (default %(default)s)</source>
        <translation>集群在哪里运行：local（自己的节点进程）或 dask（Dask distributed 工作进程；pip install '.[dask]'）（默认 %(default)s）</translation>
    </message>
    <message>
        <source>with --backend dask: attach to this running Dask scheduler instead of starting workers here</source>
        <translation>与 --backend dask 一起用：连接这个正在运行的 Dask 调度器，而不在本机启动工作进程</translation>
    </message>
    <message>
        <source>with a tls:// scheduler: the CA certificate (PEM)</source>
        <translation>与 tls:// 调度器一起用：CA 证书（PEM）</translation>
    </message>
    <message>
        <source>with a tls:// scheduler: this client's certificate (PEM)</source>
        <translation>与 tls:// 调度器一起用：本客户端的证书（PEM）</translation>
    </message>
    <message>
        <source>with a tls:// scheduler: this client's private key (PEM)</source>
        <translation>与 tls:// 调度器一起用：本客户端的私钥（PEM）</translation>
    </message>
    <message>
        <source>cluster options</source>
        <translation>集群选项</translation>
    </message>
    <message>
        <source>SIGKILL node NODE this many seconds after the job starts (repeatable)</source>
        <translation>作业开始这么多秒后用 SIGKILL 杀死节点 NODE（可重复）</translation>
    </message>
    <message>
        <source>keep node folders here (default: a temporary folder, removed afterwards)</source>
        <translation>节点文件夹放在这里（默认：临时文件夹，结束后删除）</translation>
    </message>
    <message>
        <source>node and engine log level</source>
        <translation>节点和引擎的日志级别</translation>
    </message>
    <message>
        <source>give up on the job or the recovery after this long (default %(default)s)</source>
        <translation>作业或恢复超过这么久就放弃（默认 %(default)s）</translation>
    </message>
    <message>
        <source>the window's cluster</source>
        <translation>窗口的集群</translation>
    </message>
    <message>
        <source>the window's language: en or zh_CN (default: the system's, else English)</source>
        <translation>窗口的语言：en 或 zh_CN（默认：系统语言，否则英语）</translation>
    </message>
    <message>
        <source>the language of the messages: en or zh_CN (default: the system's, else English)</source>
        <translation>消息的语言：en 或 zh_CN（默认：系统语言，否则英语）</translation>
    </message>
    <message>
        <source>Watch distributed storage and computation on a real local cluster, and break it on purpose. With no command, opens the desktop app.</source>
        <translation>在真实的本地集群上观察分布式存储与计算，并故意破坏它。不带命令时打开桌面应用。</translation>
    </message>
    <message>
        <source>count whole-word occurrences of WORD (like grep -ow WORD | wc -l)</source>
        <translation>统计整词 WORD 出现的次数（同 grep -ow WORD | wc -l）</translation>
    </message>
    <message>
        <source>UTF-8 text file to store and search</source>
        <translation>要存储并搜索的 UTF-8 文本文件</translation>
    </message>
    <message>
        <source>compare words by Unicode case folding</source>
        <translation>按 Unicode 大小写折叠比较单词</translation>
    </message>
    <message>
        <source>print one JSON object instead of a summary</source>
        <translation>输出一个 JSON 对象而不是摘要</translation>
    </message>
    <message>
        <source>top-K word frequencies with map, combine, shuffle, reduce</source>
        <translation>用 map、combine、shuffle、reduce 求出现最多的 K 个词</translation>
    </message>
    <message>
        <source>UTF-8 text file to store and count</source>
        <translation>要存储并统计的 UTF-8 文本文件</translation>
    </message>
    <message>
        <source>how many words (default %(default)s)</source>
        <translation>多少个词（默认 %(default)s）</translation>
    </message>
    <message>
        <source>write seeded sample text with a Zipf-like vocabulary</source>
        <translation>用类 Zipf 词表写出带种子的示例文本</translation>
    </message>
    <message>
        <source>exactly this many bytes, like 64MiB (default 64MiB)</source>
        <translation>恰好这么多字节，如 64MiB（默认 64MiB）</translation>
    </message>
    <message>
        <source>the text's seed: the same seed, the same text (default %(default)s)</source>
        <translation>文本的种子：种子相同，文本相同（默认 %(default)s）</translation>
    </message>
    <message>
        <source>headless demo: store a sample, count a word, kill node 2 mid-job</source>
        <translation>无界面演示：存储示例文本，统计一个词，作业中途杀死节点 2</translation>
    </message>
    <message>
        <source>how much sample text, like 16MiB (default 16MiB)</source>
        <translation>示例文本的大小，如 16MiB（默认 16MiB）</translation>
    </message>
    <message>
        <source>run a failure-injection scenario and write a report</source>
        <translation>运行一个故障注入场景并写出报告</translation>
    </message>
    <message>
        <source>folder for summary.json, events, metrics, plots</source>
        <translation>存放 summary.json、事件、指标和图表的文件夹</translation>
    </message>
    <message>
        <source>override the scenario's trial count</source>
        <translation>覆盖场景中的试验次数</translation>
    </message>
    <message>
        <source>skip the fault-free run of each trial</source>
        <translation>跳过每次试验的无故障对照运行</translation>
    </message>
    <message>
        <source>open the desktop app</source>
        <translation>打开桌面应用</translation>
    </message>
    <message>
        <source>play the demo sequence by itself</source>
        <translation>自动播放演示</translation>
    </message>
    <message>
        <source>play the guided tour of the lecture by itself, step after step</source>
        <translation>逐步自动播放讲课导览</translation>
    </message>
    <message>
        <source>with --tour: begin at step N (1 to 6)</source>
        <translation>与 --tour 一起用：从第 N 步开始（1 到 6）</translation>
    </message>
    <message>
        <source>save a PNG of the window and exit</source>
        <translation>保存窗口的 PNG 截图后退出</translation>
    </message>
    <message>
        <source>with --screenshot: how long to run first (default %(default)s)</source>
        <translation>与 --screenshot 一起用：先运行多久（默认 %(default)s）</translation>
    </message>
    <message>
        <source>replay a recording (File &gt; Save recording…) in the desktop app, without a cluster</source>
        <translation>在桌面应用中回放一段录制（文件 &gt; 保存录制…），无需集群</translation>
    </message>
    <message>
        <source>a recording: events as JSON Lines (FILE.verdicts.json is read if present)</source>
        <translation>一段录制：JSON Lines 格式的事件（若有 FILE.verdicts.json 也会读取）</translation>
    </message>
    <message>
        <source>start at this cluster time (default: the start)</source>
        <translation>从这个集群时间开始（默认：从头开始）</translation>
    </message>
    <message>
        <source>open paused instead of playing</source>
        <translation>打开时暂停，不播放</translation>
    </message>
    <message>
        <source>save a PNG of the window (at --at) and exit</source>
        <translation>保存窗口（在 --at 时刻）的 PNG 截图后退出</translation>
    </message>
    <message>
        <source>clusterscope: error: the job failed: {why}</source>
        <translation>clusterscope：错误：作业失败：{why}</translation>
    </message>
    <message>
        <source>clusterscope: error: the cluster did not settle within {timeout} s (still: {what})</source>
        <translation>clusterscope：错误：集群在 {timeout} 秒内没有稳定下来（仍在：{what}）</translation>
    </message>
    <message>
        <source>{where}: unknown node {node} (nodes are 0..{last})</source>
        <translation>{where}：没有节点 {node}（节点为 0..{last}）</translation>
    </message>
    <message>
        <source>{where}: {at} s is not before --timeout {timeout} s (the run gives up then)</source>
        <translation>{where}：{at} 秒不早于 --timeout {timeout} 秒（运行到那时就放弃）</translation>
    </message>
    <message>
        <source>{where}: node {node} is already killed at {at} s</source>
        <translation>{where}：节点 {node} 已在 {at} 秒被杀死</translation>
    </message>
    <message>
        <source>wrote {size} bytes of seeded text (seed {seed}) to {path}</source>
        <translation>已将 {size} 字节的带种子文本（种子 {seed}）写入 {path}</translation>
    </message>
    <message>
        <source>ClusterScope headless demo: 6 nodes, 3 replicas, {size} of sample text on disks slowed to 4 MB/s each;
counting 'data' while node 2 is killed (SIGKILL) half a second into the job.
</source>
        <translation>ClusterScope 无界面演示：6 个节点，3 个副本，{size} 示例文本，每块磁盘限速 4 MB/s；
统计 'data'，作业开始半秒时杀死节点 2（SIGKILL）。
</translation>
    </message>
    <message>
        <source>Run it yourself: clusterscope count WORD --input FILE --kill 2@0.5   (clusterscope --help for more)</source>
        <translation>自己试试：clusterscope count WORD --input FILE --kill 2@0.5   （更多见 clusterscope --help）</translation>
    </message>
    <message>
        <source>clusterscope: playing the headless demo instead.</source>
        <translation>clusterscope：改为播放无界面演示。</translation>
    </message>
    <message>
        <source>clusterscope: the desktop app cannot start ({why}).</source>
        <translation>clusterscope：桌面应用无法启动（{why}）。</translation>
    </message>
    <message>
        <source>replaying needs the desktop app, which cannot start ({why})</source>
        <translation>回放需要桌面应用，而它无法启动（{why}）</translation>
    </message>
    <message>
        <source>clusterscope: error: {why}</source>
        <translation>clusterscope：错误：{why}</translation>
    </message>
    <message>
        <source>clusterscope: interrupted; cluster stopped</source>
        <translation>clusterscope：已中断；集群已停止</translation>
    </message>
    <message>
        <source>{text}: expected NODE@SECONDS, like 2@0.5</source>
        <translation>{text}：应为 NODE@SECONDS，如 2@0.5</translation>
    </message>
    <message>
        <source>{text}: expected NODE@SECONDS with a node id &gt;= 0, like 2@0.5</source>
        <translation>{text}：应为 NODE@SECONDS，节点编号 &gt;= 0，如 2@0.5</translation>
    </message>
    <message>
        <source>the run did not finish within --timeout {timeout} s (it was still storing {file})</source>
        <translation>运行未在 --timeout {timeout} 秒内完成（仍在存储 {file}）</translation>
    </message>
    <message>
        <source>the run did not finish within --timeout {timeout} s (the {job} job was still running)</source>
        <translation>运行未在 --timeout {timeout} 秒内完成（{job} 作业仍在运行）</translation>
    </message>
    <message>
        <source>the run did not finish within --timeout {timeout} s</source>
        <translation>运行未在 --timeout {timeout} 秒内完成</translation>
    </message>
    <message>
        <source>not applied before --timeout ends the run: {steps}</source>
        <translation>在 --timeout 结束运行之前未能施加：{steps}</translation>
    </message>
    <message>
        <source>clusterscope: interrupted</source>
        <translation>clusterscope：已中断</translation>
    </message>
</context>
<context>
    <name>describe</name>
    <message>
        <source>Task {task} (block {block})</source>
        <translation>任务 {task}（数据块 {block}）</translation>
    </message>
    <message>
        <source>Task {task} ({phase})</source>
        <translation>任务 {task}（{phase}）</translation>
    </message>
    <message>
        <source>1 block</source>
        <translation>1 个数据块</translation>
    </message>
    <message>
        <source>{n} blocks</source>
        <translation>{n} 个数据块</translation>
    </message>
    <message>
        <source>Cluster started: {nodes} nodes, replication {replication}, blocks of {size}, heartbeat {heartbeat:g} s, dead after {dead:g} s</source>
        <translation>集群已启动：{nodes} 个节点，副本数 {replication}，数据块大小 {size}，心跳 {heartbeat:g} s，{dead:g} s 后判定失效</translation>
    </message>
    <message>
        <source>Cluster stopped</source>
        <translation>集群已停止</translation>
    </message>
    <message>
        <source>The cluster's engine failed and the cluster stopped: {reason}</source>
        <translation>集群引擎出错，集群已停止：{reason}</translation>
    </message>
    <message>
        <source>The coordinator could not listen for {gap:.1f} s (its thread was starved); that time is not counted as the nodes' silence</source>
        <translation>协调节点有 {gap:.1f} s 无法监听（其线程未得到调度）；这段时间不计入节点的静默时间</translation>
    </message>
    <message>
        <source>Node {node} refused (pid {pid}): {reason}</source>
        <translation>节点 {node} 被拒绝（PID {pid}）：{reason}</translation>
    </message>
    <message>
        <source>Output of {task} lost with node {node}; it runs again if a reduce still needs it</source>
        <translation>{task} 的输出随节点 {node} 一起丢失；若仍有归约任务需要它，它将重新运行</translation>
    </message>
    <message>
        <source>Node {node}'s disk refused a write ({reason}); it takes no more replicas</source>
        <translation>节点 {node} 的磁盘拒绝了一次写入（{reason}）；它不再接收新副本</translation>
    </message>
    <message>
        <source>Whole cluster paused (time frozen)</source>
        <translation>整个集群已暂停（时间冻结）</translation>
    </message>
    <message>
        <source>Whole cluster resumed</source>
        <translation>整个集群已恢复</translation>
    </message>
    <message>
        <source>Node {node} restarting (pid {pid})</source>
        <translation>节点 {node} 正在重启（PID {pid}）</translation>
    </message>
    <message>
        <source>Node {node} starting (pid {pid})</source>
        <translation>节点 {node} 正在启动（PID {pid}）</translation>
    </message>
    <message>
        <source>Node {node} is up (pid {pid}), {blocks} on disk</source>
        <translation>节点 {node} 已启动（PID {pid}），磁盘上有 {blocks}</translation>
    </message>
    <message>
        <source>Node {node} is up (pid {pid})</source>
        <translation>节点 {node} 已启动（PID {pid}）</translation>
    </message>
    <message>
        <source>Node {node} suspect: no heartbeat for {silent:.1f} s</source>
        <translation>节点 {node} 疑似故障：{silent:.1f} s 没有心跳</translation>
    </message>
    <message>
        <source>Node {node} heard from again, no longer suspect</source>
        <translation>节点 {node} 重新发来心跳，不再疑似故障</translation>
    </message>
    <message>
        <source>Node {node} declared dead after {silent:.1f} s of silence; 1 replica lost</source>
        <translation>节点 {node} 静默 {silent:.1f} s 后被判定为已失效；丢失 1 个副本</translation>
    </message>
    <message>
        <source>Node {node} declared dead after {silent:.1f} s of silence; {lost} replicas lost</source>
        <translation>节点 {node} 静默 {silent:.1f} s 后被判定为已失效；丢失 {lost} 个副本</translation>
    </message>
    <message>
        <source>Node {node} rejoined (pid {pid}): reported {blocks}, {accepted} accepted</source>
        <translation>节点 {node} 重新加入（PID {pid}）：报告了 {blocks}，接受 {accepted} 个</translation>
    </message>
    <message>
        <source>Node {node} killed (SIGKILL, pid {pid})</source>
        <translation>节点 {node} 已被杀死（SIGKILL，PID {pid}）</translation>
    </message>
    <message>
        <source>Node {node} paused (SIGSTOP, pid {pid})</source>
        <translation>节点 {node} 已暂停（SIGSTOP，PID {pid}）</translation>
    </message>
    <message>
        <source>Node {node} resumed (SIGCONT, pid {pid})</source>
        <translation>节点 {node} 已恢复（SIGCONT，PID {pid}）</translation>
    </message>
    <message>
        <source>Node {node} restart requested</source>
        <translation>已请求重启节点 {node}</translation>
    </message>
    <message>
        <source>Node {node} added to the cluster</source>
        <translation>节点 {node} 已加入集群</translation>
    </message>
    <message>
        <source>unthrottled</source>
        <translation>不限速</translation>
    </message>
    <message>
        <source>{mbps:g} MB/s</source>
        <translation>{mbps:g} MB/s</translation>
    </message>
    <message>
        <source>Node {node} disk back to the cluster's speed ({speed})</source>
        <translation>节点 {node} 的磁盘恢复为集群速度（{speed}）</translation>
    </message>
    <message>
        <source>Node {node} disk speed set to {speed}</source>
        <translation>节点 {node} 的磁盘速度设为 {speed}</translation>
    </message>
    <message>
        <source>Storing {file}: {size} in {blocks}</source>
        <translation>正在存储 {file}：{size}，分为 {blocks}</translation>
    </message>
    <message>
        <source>Storing {file}: {size}</source>
        <translation>正在存储 {file}：{size}</translation>
    </message>
    <message>
        <source>Storing {file} failed: {reason}; nothing was stored</source>
        <translation>存储 {file} 失败：{reason}；未存储任何内容</translation>
    </message>
    <message>
        <source>Stored {file}: {size} in {blocks}, {elapsed:.2f} s</source>
        <translation>已存储 {file}：{size}，分为 {blocks}，用时 {elapsed:.2f} s</translation>
    </message>
    <message>
        <source>Deleted {file} ({blocks})</source>
        <translation>已删除 {file}（{blocks}）</translation>
    </message>
    <message>
        <source>Writing block {block} to node {target} failed: {reason}</source>
        <translation>向节点 {target} 写入数据块 {block} 失败：{reason}</translation>
    </message>
    <message>
        <source>Copying block {block} node {source} → node {target} failed: {reason}</source>
        <translation>复制数据块 {block}（节点 {source} → 节点 {target}）失败：{reason}</translation>
    </message>
    <message>
        <source>Block {block} copied node {source} → node {node}</source>
        <translation>数据块 {block} 已复制：节点 {source} → 节点 {node}</translation>
    </message>
    <message>
        <source>Block {block} stored on node {node}</source>
        <translation>数据块 {block} 已存储到节点 {node}</translation>
    </message>
    <message>
        <source>Replica of block {block} on node {node} damaged on disk (fault injected)</source>
        <translation>节点 {node} 上数据块 {block} 的副本在磁盘上被损坏（注入的故障）</translation>
    </message>
    <message>
        <source>Replica of block {block} on node {node} is corrupt (detected by {by})</source>
        <translation>节点 {node} 上数据块 {block} 的副本已损坏（由 {by} 发现）</translation>
    </message>
    <message>
        <source>Extra replica of block {block} removed from node {node}</source>
        <translation>已从节点 {node} 删除数据块 {block} 的多余副本</translation>
    </message>
    <message>
        <source>{missing} of {blocks} blocks have no live replica (blocks {ids}); {under} under-replicated</source>
        <translation>{blocks} 个数据块中有 {missing} 个没有存活副本（数据块 {ids}）；{under} 个副本不足</translation>
    </message>
    <message>
        <source>{under} of {blocks} blocks under-replicated; {live} live nodes, {dead} dead</source>
        <translation>{blocks} 个数据块中有 {under} 个副本不足；存活节点 {live} 个，已失效 {dead} 个</translation>
    </message>
    <message>
        <source>All {blocks} blocks fully replicated; {live} live nodes, {dead} dead</source>
        <translation>全部 {blocks} 个数据块副本充足；存活节点 {live} 个，已失效 {dead} 个</translation>
    </message>
    <message>
        <source>Job {job} started: count “{word}” (ignoring case) in {file}, {tasks} tasks</source>
        <translation>作业 {job} 已开始：在 {file} 中统计“{word}”（忽略大小写），{tasks} 个任务</translation>
    </message>
    <message>
        <source>Job {job} started: count “{word}” in {file}, {tasks} tasks</source>
        <translation>作业 {job} 已开始：在 {file} 中统计“{word}”，{tasks} 个任务</translation>
    </message>
    <message>
        <source>Job {job} started: top {top} words in {file}, {tasks} tasks</source>
        <translation>作业 {job} 已开始：求 {file} 中的前 {top} 个高频词，{tasks} 个任务</translation>
    </message>
    <message>
        <source>Job {job} started: {kind} on {file}, {tasks} tasks</source>
        <translation>作业 {job} 已开始：对 {file} 执行 {kind}，{tasks} 个任务</translation>
    </message>
    <message>
        <source>Job {job} finished: ok, count = {count}</source>
        <translation>作业 {job} 已完成：成功，计数 = {count}</translation>
    </message>
    <message>
        <source>Job {job} finished: ok, top word “{word}” ({n})</source>
        <translation>作业 {job} 已完成：成功，最高频词“{word}”（{n}）</translation>
    </message>
    <message>
        <source>Job {job} finished: ok</source>
        <translation>作业 {job} 已完成：成功</translation>
    </message>
    <message>
        <source>Job {job} finished: {status}, {missing} unreadable (blocks {ids})</source>
        <translation>作业 {job} 已结束：{status}，{missing}无法读取（数据块 {ids}）</translation>
    </message>
    <message>
        <source>Job {job} finished: {status}</source>
        <translation>作业 {job} 已结束：{status}</translation>
    </message>
    <message>
        <source>; partial count = {count}</source>
        <translation>；部分计数 = {count}</translation>
    </message>
    <message>
        <source> ({elapsed:.2f} s, 1 task retried)</source>
        <translation>（{elapsed:.2f} s，1 个任务重试）</translation>
    </message>
    <message>
        <source> ({elapsed:.2f} s, {retried} tasks retried)</source>
        <translation>（{elapsed:.2f} s，{retried} 个任务重试）</translation>
    </message>
    <message>
        <source> ({elapsed:.2f} s)</source>
        <translation>（{elapsed:.2f} s）</translation>
    </message>
    <message>
        <source>node-local</source>
        <translation>节点本地</translation>
    </message>
    <message>
        <source>remote read</source>
        <translation>远程读取</translation>
    </message>
    <message>
        <source>{task} retried on node {node} (attempt {attempt}, {where})</source>
        <translation>{task} 在节点 {node} 上重试（第 {attempt} 次尝试，{where}）</translation>
    </message>
    <message>
        <source>{task} started on node {node} (attempt {attempt}, {where})</source>
        <translation>{task} 在节点 {node} 上开始（第 {attempt} 次尝试，{where}）</translation>
    </message>
    <message>
        <source>{task} done on node {node}: {size} in {elapsed:.2f} s</source>
        <translation>{task} 在节点 {node} 上完成：{size}，用时 {elapsed:.2f} s</translation>
    </message>
    <message>
        <source>{task} failed on node {node}: {reason}</source>
        <translation>{task} 在节点 {node} 上失败：{reason}</translation>
    </message>
    <message>
        <source>{kind} event</source>
        <translation>{kind} 事件</translation>
    </message>
    <message>
        <source>Replication restored: all {blocks} blocks fully replicated</source>
        <translation>副本已恢复：全部 {blocks} 个数据块副本充足</translation>
    </message>
</context>
<context>
    <name>export</name>
    <message>
        <source>cannot write {path}: {reason}</source>
        <translation>无法写入 {path}：{reason}</translation>
    </message>
</context>
<context>
    <name>summary</name>
    <message>
        <source>block {id} (bytes {first}-{last}): {reason}</source>
        <translation>数据块 {id}（字节 {first}-{last}）：{reason}</translation>
    </message>
    <message>
        <source>block {id}: {reason}</source>
        <translation>数据块 {id}：{reason}</translation>
    </message>
    <message>
        <source>and {more} more</source>
        <translation>另有 {more} 个</translation>
    </message>
    <message>
        <source>count {word} in {name}, ignoring case: {count}</source>
        <translation>{name} 中 {word} 的次数（忽略大小写）：{count}</translation>
    </message>
    <message>
        <source>count {word} in {name}: {count}</source>
        <translation>{name} 中 {word} 的次数：{count}</translation>
    </message>
    <message>
        <source>wordcount of {name}: top {top}</source>
        <translation>{name} 的词频统计：前 {top} 个</translation>
    </message>
    <message>
        <source>status: ok, exact (every one of the {blocks} blocks was read)</source>
        <translation>状态：正常，精确（全部 {blocks} 个数据块都已读取）</translation>
    </message>
    <message>
        <source>status: FAILED, no result: {why}</source>
        <translation>状态：失败，没有结果：{why}</translation>
    </message>
    <message>
        <source>status: INCOMPLETE: {lost} of {blocks} blocks could not be read: {which}</source>
        <translation>状态：不完整：{blocks} 个数据块中有 {lost} 个无法读取：{which}</translation>
    </message>
    <message>
        <source>the result is exactly that of the other {read} blocks ({covered} of {size} bytes)</source>
        <translation>结果恰好是其余 {read} 个数据块的结果（{size} 字节中的 {covered} 字节）</translation>
    </message>
    <message>
        <source>cluster: {nodes} nodes, replication {replication}, {blocks} blocks, {size}</source>
        <translation>集群：{nodes} 个节点，副本数 {replication}，{blocks} 个数据块，{size}</translation>
    </message>
    <message>
        <source>tasks: {total} ({local} node-local maps, {remote} non-local, {reduces} reduces), {retried} retried</source>
        <translation>任务：{total} 个（{local} 个节点本地 map，{remote} 个非本地，{reduces} 个 reduce），{retried} 个重试</translation>
    </message>
    <message>
        <source>failure: node {node} killed at {killed} s, declared dead at {dead} s</source>
        <translation>故障：节点 {node} 在 {killed} 秒被杀死，{dead} 秒被宣告死亡</translation>
    </message>
    <message>
        <source>failure: node {node} killed at {killed} s, not declared dead</source>
        <translation>故障：节点 {node} 在 {killed} 秒被杀死，未被宣告死亡</translation>
    </message>
    <message>
        <source>health: {under} under-replicated, {missing} missing, replication restored at {restored} s</source>
        <translation>健康：{under} 个副本不足，{missing} 个丢失，副本在 {restored} 秒恢复</translation>
    </message>
    <message>
        <source>health: {under} under-replicated, {missing} missing</source>
        <translation>健康：{under} 个副本不足，{missing} 个丢失</translation>
    </message>
    <message>
        <source>still going on at the timeout: {what}</source>
        <translation>超时时仍在进行：{what}</translation>
    </message>
    <message>
        <source>note: {dead} nodes were declared dead and {back} came back: the failure detector may be too eager for this machine's load (raise --dead-after)</source>
        <translation>注意：{dead} 个节点被宣告死亡，其中 {back} 个又回来了：对这台机器的负载来说，故障检测可能太急（调大 --dead-after）</translation>
    </message>
    <message>
        <source>timings: startup {startup} s, put {put} s, job {job} s (failure times are seconds after the job started)</source>
        <translation>用时：启动 {startup} 秒，存储 {put} 秒，作业 {job} 秒（故障时间是作业开始后的秒数）</translation>
    </message>
    <message>
        <source>{step} did not apply: {why}</source>
        <translation>{step} 未能施加：{why}</translation>
    </message>
    <message>
        <source>did not apply: {why}</source>
        <translation>未能施加：{why}</translation>
    </message>
    <message>
        <source>{scenario}: {trials} trial(s): {exact} exact, {incomplete} incomplete, {wrong} wrong, {failed} failed (no result, said why)</source>
        <translation>{scenario}：{trials} 次试验：{exact} 次精确，{incomplete} 次不完整，{wrong} 次错误，{failed} 次失败（没有结果，已说明原因）</translation>
    </message>
    <message>
        <source>{scenario}: {trials} trial(s): {exact} exact, {incomplete} incomplete, {wrong} wrong</source>
        <translation>{scenario}：{trials} 次试验：{exact} 次精确，{incomplete} 次不完整，{wrong} 次错误</translation>
    </message>
    <message>
        <source>detection: median {median} s, max {max} s</source>
        <translation>检测：中位数 {median} 秒，最长 {max} 秒</translation>
    </message>
    <message>
        <source>replication restored: median {median} s after the last failure</source>
        <translation>副本恢复：最后一次故障后中位数 {median} 秒</translation>
    </message>
    <message>
        <source>job slowdown vs fault-free: median {median}x</source>
        <translation>相对无故障的作业减速：中位数 {median} 倍</translation>
    </message>
    <message>
        <source>blocks lost: {lost}, tasks retried: {retried}, speculated: {speculated}</source>
        <translation>丢失数据块：{lost}，重试任务：{retried}，推测执行：{speculated}</translation>
    </message>
    <message>
        <source>after the faults: {remark}</source>
        <translation>故障之后：{remark}</translation>
    </message>
    <message>
        <source>NOT AS SCRIPTED: trial {trial}: {what}</source>
        <translation>未按脚本进行：第 {trial} 次试验：{what}</translation>
    </message>
    <message>
        <source>DID NOT SETTLE: trial {trial}: still {what}</source>
        <translation>未稳定：第 {trial} 次试验：仍在 {what}</translation>
    </message>
    <message>
        <source>report: {folder}/summary.json, events.jsonl, metrics.csv, {plots}</source>
        <translation>报告：{folder}/summary.json、events.jsonl、metrics.csv、{plots}</translation>
    </message>
</context>
<context>
    <name>words</name>
    <message>
        <source>ok</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>incomplete</source>
        <translation>不完整</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>exact</source>
        <translation>精确</translation>
    </message>
    <message>
        <source>wrong</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>map</source>
        <translation>映射(Map)</translation>
    </message>
    <message>
        <source>reduce</source>
        <translation>归约(Reduce)</translation>
    </message>
    <message>
        <source>shuffle</source>
        <translation>洗牌(Shuffle)</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>killed</source>
        <translation>已杀死</translation>
    </message>
    <message>
        <source>the block scanner</source>
        <translation>数据块扫描器</translation>
    </message>
    <message>
        <source>a task reading it</source>
        <translation>读取它的任务</translation>
    </message>
    <message>
        <source>a re-replication copy</source>
        <translation>重新复制的拷贝</translation>
    </message>
    <message>
        <source>Starting the cluster</source>
        <translation>启动集群</translation>
    </message>
    <message>
        <source>Store</source>
        <translation>存储</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>计数</translation>
    </message>
    <message>
        <source>Wordcount</source>
        <translation>词频统计</translation>
    </message>
    <message>
        <source>Kill</source>
        <translation>杀死</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>重启</translation>
    </message>
    <message>
        <source>Corrupt a replica</source>
        <translation>损坏一个副本</translation>
    </message>
    <message>
        <source>Pause cluster</source>
        <translation>暂停集群</translation>
    </message>
    <message>
        <source>Resume cluster</source>
        <translation>恢复集群</translation>
    </message>
    <message>
        <source>Add node</source>
        <translation>添加节点</translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation>场景</translation>
    </message>
    <message>
        <source>Tour step</source>
        <translation>导览步骤</translation>
    </message>
    <message>
        <source>Demo</source>
        <translation>演示</translation>
    </message>
</context>
</TS>
