# Tests for tools/ConvertTo-MamlHelp.ps1: the MAML it writes, and that Get-Help really reads it.

BeforeAll {
    $script:Converter = Join-Path (Join-Path (Split-Path $PSScriptRoot -Parent) 'tools') 'ConvertTo-MamlHelp.ps1'
    $script:Maml = @{
        maml = 'http://schemas.microsoft.com/maml/2004/10'
        command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
        dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
    }

    function Get-CommandMarkdown
    {
        param([string] $CommandName, [string] $Synopsis = 'Gets fake widgets for the help tests.')

        $fence = '```'
        $synopsisSection = ''
        if ($Synopsis)
        {
            $synopsisSection = "## SYNOPSIS`n$Synopsis`n"
        }

        @"
---
external help file: Fake.dll-Help.xml
Module Name: Fake
online version: https://example.invalid/help/$CommandName
schema: 2.0.0
---

# $CommandName

$synopsisSection
## SYNTAX

### ByName (Default)
$fence
$CommandName [-Name] <String> [-Force] [<CommonParameters>]
$fence

### ById
$fence
$CommandName -Id <Int32[]> [<CommonParameters>]
$fence

## DESCRIPTION
The first paragraph of the description.

The second paragraph, with a [link](https://example.invalid/x) and an escaped \<tag\>.

## EXAMPLES

### Example 1: Get one widget
$fence`powershell
$CommandName -Name 'gear'
$fence

Gets the widget named gear.

### Example 2: Force it
$fence`powershell
$CommandName gear -Force
# a comment that looks like a heading
$fence

Forces the widget.
Even when it is busy.

## PARAMETERS

### -Name
The widget's name.

$fence`yaml
Type: String
Parameter Sets: ByName
Aliases: WidgetName

Required: True
Position: 0
Default value: None
Accept pipeline input: True (ByValue)
Accept wildcard characters: True
$fence

### -Id
Widget numbers.

$fence`yaml
Type: Int32[]
Parameter Sets: ById
Aliases:

Required: True
Position: Named
Default value: None
Accept pipeline input: True (ByPropertyName)
Accept wildcard characters: False
$fence

### -Force
Gets the widget even when it is busy.

$fence`yaml
Type: SwitchParameter
Parameter Sets: ByName
Aliases:

Required: False
Position: Named
Default value: False
Accept pipeline input: False
Accept wildcard characters: False
$fence

### CommonParameters
This cmdlet supports the common parameters.

## INPUTS

### System.String
A widget name.

## OUTPUTS

### System.String
The widget.

## NOTES
Widgets are fake.

## RELATED LINKS

[Set-Widget](Set-Widget.md)

[about_Widgets](https://example.invalid/about)
"@
    }

    function New-HelpSource
    {
        # A markdown folder with the given cmdlet files, plus one about topic.
        param([string] $Name, [hashtable] $Files)

        $folder = Join-Path $TestDrive $Name
        $null = New-Item -ItemType Directory -Path $folder -Force
        foreach ($file in $Files.Keys)
        {
            Set-Content -LiteralPath (Join-Path $folder $file) -Value $Files[$file] -Encoding utf8
        }

        $folder
    }
}

Describe 'ConvertTo-MamlHelp' {
    BeforeAll {
        $about = "# about_Widgets`n`n## SHORT DESCRIPTION`nAll about widgets.`n`n## LONG DESCRIPTION`n" +
            "Widgets are small.`n`n``````powershell`nGet-Widget`n```````n"
        $source = New-HelpSource -Name 'good' -Files @{
            'Get-Widget.md' = (Get-CommandMarkdown -CommandName 'Get-Widget')
            'about_Widgets.md' = $about
        }
        $script:Output = Join-Path $TestDrive 'out'
        $script:Written = & $Converter -Path $source -OutputPath $Output -AssemblyFileName 'Fake.dll'
        $script:Xml = [xml](Get-Content -LiteralPath (Join-Path $Output 'Fake.dll-Help.xml') -Raw)
        $script:Command = (Select-Xml -Xml $Xml -XPath '//command:command' -Namespace $Maml).Node

        function Find-Node
        {
            param([string] $XPath)
            (Select-Xml -Xml $Xml -XPath $XPath -Namespace $Maml | Select-Object -First 1).Node
        }

        function Find-Text
        {
            param([string] $XPath)
            (Select-Xml -Xml $Xml -XPath $XPath -Namespace $Maml | ForEach-Object { $_.Node.InnerText })
        }
    }

    It 'writes the MAML file named after the assembly and the about topic' {
        ($Written | ForEach-Object Name) | Should -Be @('Fake.dll-Help.xml', 'about_Widgets.help.txt')
    }

    It 'writes a maml helpItems root' {
        $Xml.DocumentElement.LocalName | Should -Be 'helpItems'
        $Xml.DocumentElement.GetAttribute('schema') | Should -Be 'maml'
        @($Command).Count | Should -Be 1
    }

    It 'writes name, verb, noun and synopsis' {
        Find-Text '//command:details/command:name' | Should -Be 'Get-Widget'
        Find-Text '//command:details/command:verb' | Should -Be 'Get'
        Find-Text '//command:details/command:noun' | Should -Be 'Widget'
        Find-Text '//command:details/maml:description/maml:para' |
            Should -Be 'Gets fake widgets for the help tests.'
    }

    It 'writes each description paragraph as plain text' {
        $paras = @(Find-Text '/*/command:command/maml:description/maml:para')
        $paras.Count | Should -Be 2
        $paras[1] | Should -Be 'The second paragraph, with a link (https://example.invalid/x) and an escaped <tag>.'
    }

    It 'writes one syntax item per parameter set with its parameters in order' {
        $items = @(Select-Xml -Xml $Xml -XPath '//command:syntaxItem' -Namespace $Maml)
        $items.Count | Should -Be 2
        $first = $items[0].Node.SelectNodes('./*[local-name()="parameter"]/*[local-name()="name"]')
        @($first | ForEach-Object InnerText) | Should -Be @('Name', 'Force')
        $second = $items[1].Node.SelectNodes('./*[local-name()="parameter"]/*[local-name()="name"]')
        @($second | ForEach-Object InnerText) | Should -Be @('Id')
    }

    It 'leaves the value off a switch in a syntax item' {
        $force = Find-Node '//command:syntaxItem/command:parameter[maml:name="Force"]'
        $force.SelectNodes('./*[local-name()="parameterValue"]').Count | Should -Be 0
    }

    It 'writes parameter attributes from the yaml block' {
        $name = Find-Node '/*/command:command/command:parameters/command:parameter[maml:name="Name"]'
        $name.required | Should -Be 'true'
        $name.position | Should -Be '0'
        $name.pipelineInput | Should -Be 'True (ByValue)'
        $name.globbing | Should -Be 'true'
        $name.aliases | Should -Be 'WidgetName'
        $name.variableLength | Should -Be 'false'

        $id = Find-Node '/*/command:command/command:parameters/command:parameter[maml:name="Id"]'
        $id.position | Should -Be 'named'
        $id.pipelineInput | Should -Be 'True (ByPropertyName)'
        $id.variableLength | Should -Be 'true'
    }

    It 'writes parameter description, value, type and default' {
        $path = '/*/command:command/command:parameters/command:parameter[maml:name="Force"]'
        Find-Text "$path/maml:description/maml:para" | Should -Be 'Gets the widget even when it is busy.'
        Find-Text "$path/command:parameterValue" | Should -Be 'SwitchParameter'
        Find-Text "$path/dev:type/maml:name" | Should -Be 'SwitchParameter'
        Find-Text "$path/dev:defaultValue" | Should -Be 'False'
        @(Find-Text '/*/command:command/command:parameters/command:parameter/maml:name') |
            Should -Be @('Name', 'Id', 'Force')
    }

    It 'writes examples with title, code and remarks' {
        $titles = @(Find-Text '//command:example/maml:title')
        $titles | Should -Be @('--- Example 1: Get one widget ---', '--- Example 2: Force it ---')
        $code = @(Find-Text '//command:example/dev:code')
        $code[0] | Should -Be "Get-Widget -Name 'gear'"
        $code[1] | Should -Be "Get-Widget gear -Force`n# a comment that looks like a heading"
        $remarks = @(Find-Text '//command:example[2]/dev:remarks/maml:para')
        $remarks[0] | Should -Be 'Forces the widget. Even when it is busy.'
    }

    It 'writes inputs, outputs and notes' {
        Find-Text '//command:inputTypes/command:inputType/dev:type/maml:name' | Should -Be 'System.String'
        Find-Text '//command:inputTypes/command:inputType/maml:description/maml:para' | Should -Be 'A widget name.'
        Find-Text '//command:returnValues/command:returnValue/dev:type/maml:name' | Should -Be 'System.String'
        Find-Text '//maml:alertSet/maml:alert/maml:para' | Should -Be 'Widgets are fake.'
    }

    It 'writes the online version and related links' {
        @(Find-Text '//maml:relatedLinks/maml:navigationLink/maml:linkText') |
            Should -Be @('Online Version:', 'Set-Widget', 'about_Widgets')
        @(Find-Text '//maml:relatedLinks/maml:navigationLink/maml:uri') |
            Should -Be @('https://example.invalid/help/Get-Widget', 'Set-Widget.md', 'https://example.invalid/about')
    }

    It 'writes about topics as indented plain text' {
        $text = Get-Content -LiteralPath (Join-Path $Output 'about_Widgets.help.txt') -Raw
        $text | Should -Match '^TOPIC\n    about_Widgets\n'
        $text | Should -Match '\nSHORT DESCRIPTION\n    All about widgets\.\n'
        $text | Should -Match '\n        Get-Widget\n'
        $text | Should -Not -Match '#'
    }
}

Describe 'ConvertTo-MamlHelp with incomplete help' {
    It 'fails naming the file that lacks a SYNOPSIS' {
        $source = New-HelpSource -Name 'nosynopsis' -Files @{
            'Get-Widget.md' = (Get-CommandMarkdown -CommandName 'Get-Widget' -Synopsis '')
            'Set-Widget.md' = (Get-CommandMarkdown -CommandName 'Set-Widget')
        }
        $output = Join-Path $TestDrive 'out-nosynopsis'

        { & $Converter -Path $source -OutputPath $output } |
            Should -Throw -ExpectedMessage '*Get-Widget.md*SYNOPSIS*'
        Test-Path (Join-Path $output 'IoTAdmin.dll-Help.xml') | Should -BeFalse
    }

    It 'fails naming the file that lacks examples' {
        $complete = Get-CommandMarkdown -CommandName 'Get-Gadget'
        $markdown = $complete -replace '(?s)## EXAMPLES.*?## PARAMETERS', '## PARAMETERS'
        $source = New-HelpSource -Name 'noexample' -Files @{ 'Get-Gadget.md' = $markdown }

        { & $Converter -Path $source -OutputPath (Join-Path $TestDrive 'out-noexample') } |
            Should -Throw -ExpectedMessage '*Get-Gadget.md*example*'
    }

    It 'treats an unfilled platyPS placeholder as missing' {
        $markdown = Get-CommandMarkdown -CommandName 'Get-Gizmo' -Synopsis '{{ Fill in the Synopsis }}'
        $source = New-HelpSource -Name 'placeholder' -Files @{ 'Get-Gizmo.md' = $markdown }

        { & $Converter -Path $source -OutputPath (Join-Path $TestDrive 'out-placeholder') } |
            Should -Throw -ExpectedMessage '*Get-Gizmo.md*SYNOPSIS*'
    }
}

Describe 'Get-Help reads the converted help of a binary cmdlet' {
    BeforeAll {
        # A unique assembly name per run: a loaded assembly cannot be replaced in the session.
        $assemblyName = 'FakeHelp' + [guid]::NewGuid().ToString('N')
        $script:CmdletName = 'Get-FakeWidget'
        $moduleFolder = Join-Path $TestDrive 'module'
        $null = New-Item -ItemType Directory -Path $moduleFolder
        $source = @'
using System.Management.Automation;

namespace FakeHelp
{
    [Cmdlet(VerbsCommon.Get, "FakeWidget", DefaultParameterSetName = "ByName")]
    public sealed class GetFakeWidgetCommand : PSCmdlet
    {
        [Parameter(Position = 0, Mandatory = true, ParameterSetName = "ByName")]
        public string Name { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = "ById")]
        public int[] Id { get; set; }

        [Parameter(ParameterSetName = "ByName")]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            WriteObject(Name);
        }
    }
}
'@
        $dll = Join-Path $moduleFolder "$assemblyName.dll"
        Add-Type -TypeDefinition $source -OutputAssembly $dll -OutputType Library

        $markdown = New-HelpSource -Name 'binary' -Files @{
            "$CmdletName.md" = (Get-CommandMarkdown -CommandName $CmdletName)
        }
        $null = & $Converter -Path $markdown -OutputPath $moduleFolder -AssemblyFileName "$assemblyName.dll"
        $script:Module = Import-Module $dll -PassThru -Force
    }

    AfterAll {
        Remove-Module -ModuleInfo $Module -ErrorAction SilentlyContinue
    }

    It 'shows our synopsis' {
        (Get-Help $CmdletName).Synopsis | Should -Be 'Gets fake widgets for the help tests.'
    }

    It 'shows our example code with -Examples' {
        $text = Get-Help $CmdletName -Examples | Out-String -Width 200
        $text | Should -Match ([regex]::Escape("$CmdletName -Name 'gear'"))
        $text | Should -Match 'Example 1: Get one widget'
        $text | Should -Match 'Gets the widget named gear\.'
    }

    It 'shows our parameter help' {
        $parameter = Get-Help $CmdletName -Parameter Name
        $parameter.description[0].Text | Should -Be "The widget's name."
        $parameter.required | Should -Be 'true'
        $parameter.position | Should -Be '0'
    }

    It 'shows both syntax sets' {
        $syntax = Get-Help $CmdletName | Select-Object -ExpandProperty syntax | Out-String -Width 200
        $syntax | Should -Match ([regex]::Escape("$CmdletName [-Name] <String> [-Force]"))
        $syntax | Should -Match ([regex]::Escape("$CmdletName -Id <Int32[]>"))
    }
}
